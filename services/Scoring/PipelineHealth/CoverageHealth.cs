namespace PipelineCoach.Scoring.PipelineHealth;

internal sealed record CoverageHealth(
    decimal QualifiedPipeline,
    decimal OpenPipeline,
    decimal? Quota,
    decimal WonInPeriod,
    decimal? RemainingQuota,
    decimal? Ratio,
    decimal Target,
    string TargetBasis);
