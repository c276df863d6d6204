namespace PipelineCoach.Scoring.Scores;

internal sealed record ManagerOverrideView(int Score, string Grade, string Reason, string? By, DateTimeOffset At);
