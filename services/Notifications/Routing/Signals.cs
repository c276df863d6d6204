namespace PipelineCoach.Notifications.Routing;

/// <summary>The signals Notifications routes, as named in preferences, subscriptions and deliveries.</summary>
public static class Signals
{
    public const string OpportunityRisk = "opportunity-risk";
    public const string Escalation = "escalation";
    public const string PipelineHealth = "pipeline-health";
    public const string CadenceDue = "cadence-due";
    public const string CadenceMissed = "cadence-missed";

    /// <summary>Not a signal people subscribe to: the delivery that carries rolled-up held items.</summary>
    public const string Digest = "digest";

    public static readonly IReadOnlyList<string> All = [OpportunityRisk, Escalation, PipelineHealth, CadenceDue, CadenceMissed];

    public static bool IsKnown(string? signal) => signal is not null && All.Contains(signal);
}
