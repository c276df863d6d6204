using PipelineCoach.Contracts.Cadence;

namespace PipelineCoach.Cadence.Occurrences;

/// <summary>
/// An occurrence as the API returns it. <see cref="LocalStart"/> is wall-clock time in <see cref="TimeZone"/>
/// (no offset); <see cref="Agenda"/> is the snapshot built when it came due (null before).
/// </summary>
public sealed record OccurrenceView(
    Guid Id,
    Guid CadenceId,
    string Kind,
    string? AssigneeId,
    IReadOnlyList<string> ParticipantIds,
    string? OpportunityId,
    DateTimeOffset ScheduledAt,
    DateTime LocalStart,
    string TimeZone,
    string? Dst,
    DateTimeOffset DueBy,
    string Status,
    string? StatusReason,
    IReadOnlyList<AgendaSection>? Agenda,
    string? Notes,
    string? ActedBy,
    DateTimeOffset? ActedAt,
    DateTimeOffset? FiredAt);
