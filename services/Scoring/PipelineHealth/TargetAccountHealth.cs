namespace PipelineCoach.Scoring.PipelineHealth;

internal sealed record TargetAccountHealth(int Listed, int Covered, decimal? Share, IReadOnlyList<string> Uncovered);
