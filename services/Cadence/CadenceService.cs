using FluentValidation;
using MassTransit;
using PipelineCoach.Cadence.Adherence;
using PipelineCoach.Cadence.Agendas;
using PipelineCoach.Cadence.Agendas.Scoring;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Cadence.Calendar;
using PipelineCoach.Cadence.Ledger;
using PipelineCoach.Cadence.Occurrences;
using PipelineCoach.Cadence.Signals;
using PipelineCoach.Cadence.Triggers;
using PipelineCoach.Cadence.Users;
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
        bus.AddConsumer<UserChangedConsumer>();
        bus.AddConsumer<OpportunityChangedConsumer>();
        bus.AddConsumer<OpportunityDeletedConsumer>();
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
        services.AddSingleton<IValidator<CadenceDefinition>, CadenceRequestValidator>();
        services.AddSingleton<ResolvedCadenceValidator>();
        services.AddSingleton<CadenceResolver>();
        services.AddSingleton<CadenceStore>();
        services.AddSingleton<IValidator<CompleteRequest>, CompleteRequestValidator>();
        services.AddSingleton<IValidator<SkipRequest>, SkipRequestValidator>();
        services.AddSingleton<OccurrenceStore>();
        services.AddSingleton<IValidator<HolidayCalendar>, HolidayCalendarValidator>();
        services.AddSingleton<HolidayStore>();
        services.AddSingleton<AdherenceQuery>();
        services.AddSingleton<LedgerSignal>();
        services.AddScoringClient();
        services.AddSingleton<ScoringLookup>();
        services.AddSingleton<IAgendaBuilder, AgendaBuilder>();
        services.AddSingleton<EventOccurrences>();
        services.AddSingleton<LedgerMetrics>();
        services.AddSingleton<HorizonMaterializer>();
        services.AddHostedService(provider => provider.GetRequiredService<HorizonMaterializer>());
        services.AddSingleton<OccurrenceClaimer>();
        services.AddHostedService(provider => provider.GetRequiredService<OccurrenceClaimer>());
        return services;
    }

    public static WebApplication MapCadenceApi(this WebApplication app)
    {
        app.MapCadencesApi();
        app.MapOccurrencesApi();
        app.MapAdherenceApi();
        app.MapHolidaysApi();
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
