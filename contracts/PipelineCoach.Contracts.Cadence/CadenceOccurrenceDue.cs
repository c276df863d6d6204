namespace PipelineCoach.Contracts.Cadence;

/// <summary>A cadence occurrence (a leadership routine slot) is due, with its agenda.</summary>
public sealed record CadenceOccurrenceDue
{
    /// <summary>The stable message name (exchange name) for this contract.</summary>
    public const string MessageName = "cadence.occurrence-due";

    /// <summary>Occurrence id; the business key (unique per cadence, local date and slot).</summary>
    public required string OccurrenceId { get; init; }

    /// <summary>Cadence definition id.</summary>
    public required string CadenceId { get; init; }

    /// <summary>Cadence kind, e.g. <c>daily-huddle</c>, <c>weekly-pipeline-review</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>18-character id of the user who holds the occurrence.</summary>
    public required string AssigneeId { get; init; }

    /// <summary>Scheduled start (UTC).</summary>
    public required DateTimeOffset ScheduledAt { get; init; }

    /// <summary>Agenda items built from live pipeline data.</summary>
    public IReadOnlyList<string> Agenda { get; init; } = [];
}
