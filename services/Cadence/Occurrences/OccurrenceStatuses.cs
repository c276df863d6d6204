namespace PipelineCoach.Cadence.Occurrences;

/// <summary>An occurrence's statuses, as the ledger stores them and the API shows them.</summary>
internal static class OccurrenceStatuses
{
    public const string Scheduled = "scheduled";
    public const string Due = "due";
    public const string Held = "held";
    public const string Skipped = "skipped";
    public const string Missed = "missed";
    public const string Retired = "retired";

    public static readonly IReadOnlyList<string> All = [Scheduled, Due, Held, Skipped, Missed, Retired];
}
