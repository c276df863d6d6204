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

    /// <summary>Agenda items built from live pipeline data, one line each (the sections below, flattened).</summary>
    public IReadOnlyList<string> Agenda { get; init; } = [];

    /// <summary>The cadence's name, e.g. <c>Weekly pipeline review — West</c>.</summary>
    public string? CadenceName { get; init; }

    /// <summary>18-character ids of the other people expected (a team's direct reports, a deal's owner).</summary>
    public IReadOnlyList<string> ParticipantIds { get; init; } = [];

    /// <summary>The opportunity an event-driven review is about; null for recurring cadences.</summary>
    public string? OpportunityId { get; init; }

    /// <summary>Local start in <see cref="TimeZone"/>, without offset (<c>2026-11-30T09:00:00</c>), as the assignee's calendar shows it.</summary>
    public string? LocalStart { get; init; }

    /// <summary>IANA time zone of <see cref="LocalStart"/>.</summary>
    public string? TimeZone { get; init; }

    /// <summary>When the occurrence must be held or skipped by before it counts as missed (UTC).</summary>
    public DateTimeOffset? DueBy { get; init; }

    /// <summary>The agenda in structured sections, each item self-explanatory (opportunity, owner, why).</summary>
    public IReadOnlyList<AgendaSection> Sections { get; init; } = [];
}

/// <summary>One part of an agenda, e.g. the new risk flags of a huddle.</summary>
public sealed record AgendaSection
{
    /// <summary>Stable section code, e.g. <c>new-risks</c>, <c>next-steps-due</c>, <c>coverage</c>.</summary>
    public required string Code { get; init; }

    /// <summary>Heading in plain words.</summary>
    public required string Title { get; init; }

    /// <summary>The section's items, most important first.</summary>
    public IReadOnlyList<AgendaItem> Items { get; init; } = [];
}

/// <summary>One agenda line: what it is about, whose it is, and why it is on the agenda.</summary>
public sealed record AgendaItem
{
    /// <summary>Why this is on the agenda, in words a sales leader reads without looking anything up.</summary>
    public required string Why { get; init; }

    /// <summary>18-character opportunity id; null for an item about a rep (e.g. coverage).</summary>
    public string? OpportunityId { get; init; }

    /// <summary>Opportunity name.</summary>
    public string? OpportunityName { get; init; }

    /// <summary>Opportunity amount in the org currency.</summary>
    public decimal? Amount { get; init; }

    /// <summary>18-character id of the owner (the rep).</summary>
    public string? OwnerId { get; init; }

    /// <summary>The owner's name.</summary>
    public string? OwnerName { get; init; }

    /// <summary>Machine-readable code of the reason, e.g. a flag code such as <c>slipping</c>.</summary>
    public string? Code { get; init; }
}
