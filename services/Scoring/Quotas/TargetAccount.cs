namespace PipelineCoach.Scoring.Quotas;

internal sealed record TargetAccount(string AccountId, string? Name);
