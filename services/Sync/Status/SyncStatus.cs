using PipelineCoach.Sync.Reconciliation;

namespace PipelineCoach.Sync.Status;

/// <summary>
/// What <c>GET /api/v1/sync/status</c> reports: how far the mirror is behind Salesforce and what is queued.
/// <see cref="OutboxPending"/> counts messages waiting for dispatch; <see cref="OutboxParked"/> those set aside for an
/// operator (<c>GET /api/v1/admin/outbox/parked</c>).
/// </summary>
public sealed record SyncStatus(
    bool SalesforceApiEnabled,
    IReadOnlyList<Watermark> Watermarks,
    IReadOnlyList<SyncRun> RecentRuns,
    TimeSpan? Lag,
    ApiUsage ApiUsage,
    WebhookCounts Webhooks,
    long OutboxPending,
    long WriteBackBacklog,
    long OutboxParked);
