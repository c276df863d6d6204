namespace PipelineCoach.Scoring.Scorecards;

internal sealed record RescoringJobView(Guid Id, string ScorecardId, int ScorecardVersion, string Status, int Total, int Processed,
    int Changed, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);
