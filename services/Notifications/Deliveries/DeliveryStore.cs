using Dapper;
using Npgsql;

namespace PipelineCoach.Notifications.Deliveries;

/// <summary>The delivery log as the API reads it, newest first (ids are time-ordered UUIDv7).</summary>
internal sealed class DeliveryStore(NpgsqlDataSource dataSource, TimeProvider timeProvider)
{
    public sealed record Filter(string? RecipientId, string? Status, string? Signal, string? OpportunityId, Guid? Before, int Take);

    public async Task<IReadOnlyList<DeliveryRow>> ListAsync(Filter filter, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<DeliveryRow>(new CommandDefinition(
            $"""
            SELECT {DeliveryRow.Columns} FROM deliveries
            WHERE (@RecipientId::char(18) IS NULL OR recipient_id = @RecipientId::char(18))
              AND (@Status::text IS NULL OR status = @Status) AND (@Signal::text IS NULL OR signal = @Signal)
              AND (@OpportunityId::char(18) IS NULL OR opportunity_id = @OpportunityId::char(18))
              AND (@Before::uuid IS NULL OR id < @Before)
            ORDER BY id DESC LIMIT @Take
            """, filter, cancellationToken: cancellationToken))];
    }

    public async Task<DeliveryRow?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DeliveryRow>(new CommandDefinition(
            $"SELECT {DeliveryRow.Columns} FROM deliveries WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// A failed delivery goes back to the queue now, with its channel's retry ladder from the start (attempts count
    /// again from 0; its last error stays until the next attempt); null when it is unknown or not failed.
    /// </summary>
    public async Task<DeliveryRow?> RetryAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DeliveryRow>(new CommandDefinition(
            $"""
            UPDATE deliveries SET status = 'queued', attempts = 0, next_attempt_at = @now, lease_until = NULL, claimed_by = NULL
            WHERE id = @id AND status = 'failed'
            RETURNING {DeliveryRow.Columns}
            """, new { id, now = timeProvider.GetUtcNow().UtcDateTime }, cancellationToken: cancellationToken));
    }
}
