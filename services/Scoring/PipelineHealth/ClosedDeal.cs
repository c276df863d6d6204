namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>A closed opportunity with the first time it entered each stage (from its stage history; empty when not recorded).</summary>
internal sealed record ClosedDeal(
    string Id,
    string OwnerId,
    decimal Amount,
    bool IsWon,
    DateOnly? CloseDate,
    IReadOnlyDictionary<string, DateTimeOffset> StageEnteredAt)
{
    public bool HasStageHistory => StageEnteredAt.Count > 0;
}
