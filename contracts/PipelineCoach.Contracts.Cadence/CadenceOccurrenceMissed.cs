namespace PipelineCoach.Contracts.Cadence;

/// <summary>A due cadence occurrence was neither held nor skipped in time.</summary>
public sealed record CadenceOccurrenceMissed
{
    /// <summary>The stable message name (exchange name) for this contract.</summary>
    public const string MessageName = "cadence.occurrence-missed";

    /// <summary>Occurrence id; the business key.</summary>
    public required string OccurrenceId { get; init; }

    /// <summary>Cadence definition id.</summary>
    public required string CadenceId { get; init; }

    /// <summary>Cadence kind.</summary>
    public required string Kind { get; init; }

    /// <summary>18-character id of the assignee.</summary>
    public required string AssigneeId { get; init; }

    /// <summary>Scheduled start (UTC).</summary>
    public required DateTimeOffset ScheduledAt { get; init; }

    /// <summary>When it was declared missed.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The cadence's name.</summary>
    public string? CadenceName { get; init; }

    /// <summary>The opportunity an event-driven review was about; null for recurring cadences.</summary>
    public string? OpportunityId { get; init; }

    /// <summary>The deadline that passed (UTC).</summary>
    public DateTimeOffset? DueBy { get; init; }
}
