namespace PipelineCoach.Scoring.Quotas;

internal sealed record QuotaRequest(decimal? Amount);
