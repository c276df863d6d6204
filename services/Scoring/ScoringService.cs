using FluentValidation;
using MassTransit;
using PipelineCoach.Scoring.Backtest;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Opportunities;
using PipelineCoach.Scoring.Overrides;
using PipelineCoach.Scoring.PipelineHealth;
using PipelineCoach.Scoring.Quotas;
using PipelineCoach.Scoring.Scorecards;
using PipelineCoach.Scoring.Scores;
using PipelineCoach.Scoring.Users;
using PipelineCoach.ServiceDefaults;

namespace PipelineCoach.Scoring;

internal static class ScoringService
{
    public static readonly ServiceInfo Info = new("scoring", "Pipeline Coach — scoring", [ScoringScopes.Read, ScoringScopes.Write, ScoringScopes.Admin])
    {
        AdminScope = ScoringScopes.Admin,
        Assembly = typeof(ScoringService).Assembly,
    };

    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<OpportunityChangedConsumer, OpportunityChangedConsumerDefinition>();
        bus.AddConsumer<OpportunityDeletedConsumer>();
        bus.AddConsumer<UserChangedConsumer>();
    }

    public static IServiceCollection AddScoringServices(this IServiceCollection services)
    {
        services.AddOptions<ScoringOptions>()
            .BindConfiguration(ScoringOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidator<Scorecard>, ScorecardValidator>();
        services.AddSingleton<IValidator<OverrideRequest>, OverrideRequestValidator>();
        services.AddSingleton<IValidator<QuotaRequest>, QuotaRequestValidator>();
        services.AddSingleton<IValidator<TargetAccountsRequest>, TargetAccountsRequestValidator>();
        services.AddOptions<PipelineHealthOptions>()
            .BindConfiguration(PipelineHealthOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<PipelineHealthService>();
        services.AddHostedService<PipelineHealthMonitor>();
        services.AddSingleton<ScorecardStore>();
        services.AddSingleton<ScorecardCatalog>();
        services.AddSingleton<OpportunityScorer>();
        services.AddSingleton<Calibration>();
        services.AddHostedService<ScorecardSeeder>();
        services.AddSingleton<RescoringSignal>();
        services.AddSingleton<Rescorer>();
        services.AddHostedService<RescoringWorker>();
        return services;
    }

    public static WebApplication MapScoringApi(this WebApplication app)
    {
        app.MapScoresApi();
        app.MapScorecardsApi();
        app.MapOverridesApi();
        app.MapPipelineHealthApi();
        app.MapQuotasApi();
        app.MapBacktestApi();
        return app;
    }
}
