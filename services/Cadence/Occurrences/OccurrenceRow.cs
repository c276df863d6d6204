namespace PipelineCoach.Cadence.Occurrences;

/// <summary>An occurrence as the ledger stores it (columns aliased to these names).</summary>
internal sealed class OccurrenceRow
{
    public Guid Id { get; init; }

    public Guid CadenceId { get; init; }

    public string Kind { get; init; } = "";

    public string? AssigneeId { get; init; }

    public string[] ParticipantIds { get; init; } = [];

    public string? OpportunityId { get; init; }

    public DateTime ScheduledAt { get; init; }

    public DateTime LocalStart { get; init; }

    public string TimeZone { get; init; } = "";

    public string? Dst { get; init; }

    public DateTime DueBy { get; init; }

    public string Status { get; init; } = "";

    public string? StatusReason { get; init; }

    public string? Agenda { get; init; }

    public string? Notes { get; init; }

    public string? ActedBy { get; init; }

    public DateTime? ActedAt { get; init; }

    public DateTime? FiredAt { get; init; }

    public OccurrenceView ToView() => new(
        Id, CadenceId, Kind, AssigneeId, ParticipantIds, OpportunityId,
        Utc(ScheduledAt), DateTime.SpecifyKind(LocalStart, DateTimeKind.Unspecified), TimeZone, Dst, Utc(DueBy),
        Status, StatusReason, Agenda is null ? null : CadenceJson.DeserializeAgenda(Agenda), Notes, ActedBy,
        ActedAt is { } acted ? Utc(acted) : null, FiredAt is { } fired ? Utc(fired) : null);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
