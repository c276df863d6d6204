namespace PipelineCoach.Cadence.Ledger;

/// <summary>A slot this instance holds the lease of, as the claim returns it.</summary>
internal sealed class ClaimedOccurrence
{
    public Guid Id { get; init; }
    public Guid CadenceId { get; init; }
    public string Kind { get; init; } = "";
    public string? OpportunityId { get; init; }
    public string? AssigneeId { get; init; }
    public string[] ParticipantIds { get; init; } = [];
    public DateTime ScheduledAt { get; init; }
    public DateTime LocalStart { get; init; }
    public string TimeZone { get; init; } = "";
    public DateTime DueBy { get; init; }
}
