using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.ServiceDefaults.Retention;

/// <summary>Pruning of rows kept for diagnosis and dedup (section <c>Retention</c>).</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>
    /// How long rows are kept: dispatched outbox rows, inbox markers and each service's own pruned tables. Seven days
    /// by default, well past Salesforce's 24 h of outbound-message retries.
    /// </summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Per-table overrides of <see cref="Period"/>, by table name (e.g. <c>Retention:Tables:inbox_messages</c>).</summary>
    public IDictionary<string, TimeSpan> Tables { get; set; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>Whether this instance prunes at all (the advisory lock already keeps it to one instance at a time).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often clean-up runs (on one instance at a time).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per statement, so no delete holds locks or bloats WAL for long.</summary>
    [Range(1, 1_000_000)]
    public int BatchSize { get; set; } = 5_000;

    public TimeSpan PeriodOf(string table) => Tables.TryGetValue(table, out var period) ? period : Period;
}
