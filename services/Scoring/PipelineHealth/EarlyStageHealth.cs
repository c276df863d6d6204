namespace PipelineCoach.Scoring.PipelineHealth;

internal sealed record EarlyStageHealth(decimal EarlyStageValue, decimal? Share);
