namespace PipelineCoach.Scoring.Scorecards;

internal sealed record ScorecardVersionView(string Id, int Version, string Name, bool IsActive, DateTimeOffset CreatedAt, string? CreatedBy);
