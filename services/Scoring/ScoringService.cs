using MassTransit;
using PipelineCoach.Scoring.Opportunities;
using PipelineCoach.ServiceDefaults;

namespace PipelineCoach.Scoring;

internal static class ScoringService
{
    public static readonly ServiceInfo Info = new("scoring", "Pipeline Coach — scoring", [ScoringScopes.Read, ScoringScopes.Write, ScoringScopes.Admin])
    {
        Assembly = typeof(ScoringService).Assembly,
    };

    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<OpportunityChangedConsumer>();
        bus.AddConsumer<OpportunityDeletedConsumer>();
    }

    public static IServiceCollection AddScoringServices(this IServiceCollection services) => services;

    public static WebApplication MapScoringApi(this WebApplication app) => app;
}

/// <summary>OAuth scopes of the Scoring API.</summary>
public static class ScoringScopes
{
    public const string Read = "scoring.read";
    public const string Write = "scoring.write";
    public const string Admin = "scoring.admin";
}
