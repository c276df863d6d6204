using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>Outbox dispatch and clean-up (section <c>Messaging:Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string Section = "Messaging:Outbox";

    /// <summary>Messages claimed per dispatch round (whole rows: a batch row counts as the messages it holds).</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Dispatch loops per instance. Each claims its own batch with SKIP LOCKED, so while one waits for publisher
    /// confirms another is reading and publishing.
    /// </summary>
    [Range(1, 16)]
    public int Dispatchers { get; set; } = 2;

    /// <summary>How often an idle dispatcher looks for rows written by other instances.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long dispatched rows (and inbox rows) are kept for diagnosis before clean-up deletes them.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often clean-up runs.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);
}
