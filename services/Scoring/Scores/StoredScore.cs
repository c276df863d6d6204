namespace PipelineCoach.Scoring.Scores;

/// <summary>An opportunity's current score for one scorecard, as stored.</summary>
internal sealed class StoredScore
{
    public string OpportunityId { get; init; } = "";

    public string ScorecardId { get; init; } = "";

    public int ScorecardVersion { get; init; }

    public string? OwnerId { get; init; }

    public DateTime SourceVersion { get; init; }

    public DateOnly AsOf { get; init; }

    public int Score { get; init; }

    public string Grade { get; init; } = "";

    public string[] Flags { get; init; } = [];

    public string Statuses { get; init; } = "";

    public DateTime ScoredAt { get; init; }

    public int? OverrideScore { get; init; }

    public string? OverrideGrade { get; init; }

    public string? OverrideReason { get; init; }

    public string? OverrideBy { get; init; }

    public DateTime? OverrideAt { get; init; }

    public int EffectiveScore => OverrideScore ?? Score;

    public string EffectiveGrade => OverrideGrade ?? Grade;
}
