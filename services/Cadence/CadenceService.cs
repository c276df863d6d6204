using MassTransit;
using PipelineCoach.Cadence.Agendas;
using PipelineCoach.Cadence.Agendas.Scoring;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Cadence.Signals;
using PipelineCoach.ServiceDefaults;

namespace PipelineCoach.Cadence;

internal static class CadenceService
{
    public static readonly ServiceInfo Info = new("cadence", "Pipeline Coach — cadence scheduling", [CadenceScopes.Read, CadenceScopes.Write, CadenceScopes.Admin])
    {
        AdminScope = CadenceScopes.Admin,
        Assembly = typeof(CadenceService).Assembly,
    };

    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<OpportunityScoredConsumer>();
        bus.AddConsumer<PipelineHealthChangedConsumer>();
    }

    public static IServiceCollection AddCadenceServices(this IServiceCollection services)
    {
        services.AddOptions<CadenceOptions>()
            .BindConfiguration(CadenceOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<CadenceTemplates>();
        services.AddSingleton<Ledger.LedgerSignal>();
        services.AddScoringClient();
        services.AddSingleton<ScoringLookup>();
        services.AddSingleton<IAgendaBuilder, AgendaBuilder>();
        return services;
    }

    public static WebApplication MapCadenceApi(this WebApplication app)
    {
        return app;
    }
}

/// <summary>OAuth scopes of the Cadence API.</summary>
public static class CadenceScopes
{
    public const string Read = "cadence.read";
    public const string Write = "cadence.write";

    /// <summary>Operator endpoints: the outbox\'s parked messages.</summary>
    public const string Admin = "cadence.admin";
}
