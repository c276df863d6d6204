using Dapper;
using Npgsql;

namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>One parked outbox row as operators see it (the admin API and the <c>outbox parked</c> command).</summary>
public sealed record ParkedOutboxRow(
    long Id,
    string MessageType,
    int MessageCount,
    Guid[] MessageIds,
    int Attempts,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset ParkedAt);

/// <summary>Lists and requeues parked outbox rows. A requeued row gets its attempts back and is dispatched at the next round.</summary>
public sealed class ParkedOutbox(NpgsqlDataSource dataSource, OutboxSignal signal)
{
    public async Task<IReadOnlyList<ParkedOutboxRow>> ListAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT id AS Id, message_type AS MessageType, message_count AS MessageCount,
                   coalesce(message_ids, ARRAY[message_id]) AS MessageIds, attempts AS Attempts, last_error AS LastError,
                   created_at AS CreatedAt, parked_at AS ParkedAt
            FROM outbox_messages
            WHERE parked_at IS NOT NULL AND id > @afterId
            ORDER BY id
            LIMIT @limit
            """,
            new { afterId, limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new ParkedOutboxRow(r.Id, r.MessageType, r.MessageCount, r.MessageIds, r.Attempts, r.LastError, Utc(r.CreatedAt), Utc(r.ParkedAt)))];
    }

    /// <summary>Messages parked now (a batch row counts as the messages it holds).</summary>
    public async Task<long> CountMessagesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT coalesce(sum(message_count), 0) FROM outbox_messages WHERE parked_at IS NOT NULL",
            cancellationToken: cancellationToken));
    }

    /// <summary>Requeues one parked row; false when no parked row has that id.</summary>
    public async Task<bool> RequeueAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var requeued = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox_messages SET parked_at = NULL, attempts = 0 WHERE id = @id AND parked_at IS NOT NULL",
            new { id },
            cancellationToken: cancellationToken));
        signal.Notify();
        return requeued == 1;
    }

    /// <summary>Requeues every parked row; returns how many rows.</summary>
    public async Task<int> RequeueAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var requeued = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox_messages SET parked_at = NULL, attempts = 0 WHERE parked_at IS NOT NULL",
            cancellationToken: cancellationToken));
        signal.Notify();
        return requeued;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    // Properties, not a positional record: Dapper maps a uuid[] column to a property but not to a constructor argument.
    private sealed class Row
    {
        public long Id { get; init; }
        public string MessageType { get; init; } = "";
        public int MessageCount { get; init; }
        public Guid[] MessageIds { get; init; } = [];
        public int Attempts { get; init; }
        public string? LastError { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime ParkedAt { get; init; }
    }
}
