namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>
/// A stage's normal duration: the median days the org's closed deals spent in it when there are enough
/// (<see cref="Source"/> <c>org-history</c>), else the scorecard's <c>normalDays</c> (<c>scorecard-default</c>).
/// </summary>
internal sealed record StageDuration(string Stage, int? NormalDays, string Source, int Samples, int? OrgMedianDays, int? ScorecardDays);
