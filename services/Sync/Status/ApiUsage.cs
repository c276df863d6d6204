namespace PipelineCoach.Sync.Status;

/// <summary>The daily Salesforce API allowance as last reported by <c>Sforce-Limit-Info</c>.</summary>
public sealed record ApiUsage(long Used, long Max, double Share, DateTimeOffset? PausedUntil);
