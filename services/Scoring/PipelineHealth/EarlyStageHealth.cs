namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>Open pipeline value in the early stages, its share of all open pipeline, and that open pipeline.</summary>
internal sealed record EarlyStageHealth(decimal EarlyStageValue, decimal? Share, decimal OpenPipeline = 0);
