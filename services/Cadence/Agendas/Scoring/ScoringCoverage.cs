namespace PipelineCoach.Cadence.Agendas.Scoring;

/// <summary>Qualified open pipeline closing in the period against the quota not yet won.</summary>
internal sealed record ScoringCoverage(decimal QualifiedPipeline, decimal OpenPipeline, decimal? Quota, decimal? RemainingQuota, decimal? Ratio, decimal Target);
