namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>The rep's (or team's) target accounts, how many are covered, and the ids of those that are not.</summary>
internal sealed record TargetAccountHealth(int Listed, int Covered, decimal? Share, IReadOnlyList<string> Uncovered);
