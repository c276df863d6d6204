using MassTransit;
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
        // Cadence definitions, the occurrence ledger and their consumers arrive with the cadence issue.
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
