namespace PipelineCoach.Scoring.Scorecards;

internal sealed record ScorecardVersionRow(string Id, int Version, string Name, DateTime CreatedAt, string? CreatedBy, bool IsActive);
