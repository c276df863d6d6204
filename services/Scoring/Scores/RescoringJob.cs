namespace PipelineCoach.Scoring.Scores;

internal sealed record RescoringJob(Guid Id, string ScorecardId, int ScorecardVersion, string Status, int Total, int Processed,
    int Changed, string? Error, DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt, string Reason);
