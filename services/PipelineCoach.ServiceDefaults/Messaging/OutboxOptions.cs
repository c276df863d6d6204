using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>Outbox dispatch (section <c>Messaging:Outbox</c>). Clean-up of dispatched rows is <c>Retention</c>'s.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Messaging:Outbox";

    /// <summary>Messages claimed per dispatch round (whole rows: a batch row counts as the messages it holds).</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Dispatch loops per instance. Each claims its own rows with <c>SKIP LOCKED</c>, so while one waits for publisher
    /// confirms another reads and publishes the next rows.
    /// </summary>
    [Range(1, 16)]
    public int Dispatchers { get; set; } = 2;

    /// <summary>How often an idle dispatcher looks for rows written by other instances.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Failed attempts after which a row is parked: set aside with its last error until an operator requeues it.
    /// Only failures that are the row's own count: a round in which nothing could be published (the broker is down)
    /// counts against no row.
    /// </summary>
    [Range(1, 1_000)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>
    /// Longest a round may wait for its publishes' confirms before it gives up (the rows stay pending, the round
    /// backs off): a blocked broker connection must not hold the claimed rows' locks forever.
    /// </summary>
    public TimeSpan RoundTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the parked-messages gauge re-counts.</summary>
    public TimeSpan ParkedCountInterval { get; set; } = TimeSpan.FromSeconds(15);
}
