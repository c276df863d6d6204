namespace PipelineCoach.Scoring.Overrides;

internal sealed record OverrideView(string OpportunityId, string ScorecardId, int Score, string Grade, int ComputedScore, string ComputedGrade,
    string? Reason, string? By, DateTimeOffset At);
