using PipelineCoach.Sync.Reconciliation;

namespace PipelineCoach.Sync.Status;

/// <summary>What <c>GET /api/v1/sync/status</c> reports: how far the mirror is behind Salesforce and what is queued.</summary>
public sealed record SyncStatus(
    bool SalesforceApiEnabled,
    IReadOnlyList<Watermark> Watermarks,
    IReadOnlyList<SyncRun> RecentRuns,
    TimeSpan? Lag,
    ApiUsage ApiUsage,
    WebhookCounts Webhooks,
    long OutboxPending,
    long WriteBackBacklog);
