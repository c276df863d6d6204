using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using PipelineCoach.ServiceDefaults.Messaging;
using PipelineCoach.Sync.Reconciliation;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Status;

/// <summary><c>GET /api/v1/sync/status</c>: reconciliation, API allowance, webhooks, outbox and write-back in one view.</summary>
internal static class SyncStatusApi
{
    public static void MapSyncStatusApi(this WebApplication app)
    {
        app.MapGroup("/api/v1/sync").WithTags("Sync")
            .MapGet("/status", GetStatusAsync)
            .RequireAuthorization(SyncScopes.Read)
            .WithSummary("Watermarks, recent runs, lag, API usage, webhook counts and write-back backlog.");
    }

    private static async Task<Ok<SyncStatus>> GetStatusAsync(
        SyncRunStore runs, ApiBudget budget, NpgsqlDataSource dataSource, ParkedOutbox parked, IOptions<SalesforceApiOptions> api, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var watermarks = await runs.WatermarksAsync(cancellationToken);
        var recent = await runs.RecentRunsAsync(10, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var counts = await connection.QuerySingleAsync<(long Deliveries, long Events, long Outbox, long Backlog)>(new CommandDefinition(
            """
            SELECT (SELECT count(*) FROM webhook_deliveries WHERE received_at > now() - interval '1 hour'),
                   (SELECT count(*) FROM change_events WHERE received_at > now() - interval '1 hour'),
                   (SELECT coalesce(sum(message_count), 0) FROM outbox_messages WHERE dispatched_at IS NULL AND parked_at IS NULL),
                   (SELECT count(*) FROM score_writebacks WHERE status = 'pending')
            """, cancellationToken: cancellationToken));
        // Lag: how long ago the mirror was last known to match Salesforce (the last successful reconciliation).
        var lastSuccess = recent.FirstOrDefault(r => r.Status == "succeeded")?.FinishedAt;
        return TypedResults.Ok(new SyncStatus(
            api.Value.IsEnabled,
            watermarks,
            recent,
            lastSuccess is { } at ? time.GetUtcNow() - at : null,
            new ApiUsage(budget.Used, budget.Max, budget.Share, budget.PausedUntil),
            new WebhookCounts(counts.Deliveries, counts.Events),
            counts.Outbox,
            counts.Backlog,
            await parked.CountMessagesAsync(cancellationToken)));
    }
}
