using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using PipelineCoach.ServiceDefaults.Messaging;

namespace PipelineCoach.ServiceDefaults.Data;

/// <summary>Set-based inbox and outbox writes for batch consumers and bulk jobs: one round trip instead of one per message.</summary>
public static class UnitOfWorkBulkExtensions
{
    /// <summary>
    /// Marks every id consumed by <paramref name="consumer"/> in one statement; returns the ids that were new (the rest
    /// are duplicates the caller skips). Same guarantee as <see cref="UnitOfWork.TryMarkConsumedAsync"/>.
    /// </summary>
    public static async Task<HashSet<Guid>> TryMarkConsumedManyAsync(this UnitOfWork work, string consumer, IReadOnlyCollection<Guid> messageIds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO inbox_messages (consumer, message_id) SELECT @consumer, unnest(@ids)
            ON CONFLICT DO NOTHING
            RETURNING message_id
            """, work.Connection, work.Transaction);
        command.Parameters.AddWithValue("consumer", consumer);
        command.Parameters.AddWithValue("ids", messageIds.ToArray());
        var added = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            added.Add(reader.GetGuid(0));
        }

        return added;
    }

    /// <summary>
    /// Adds many messages to the outbox with one binary COPY; like <see cref="UnitOfWork.PublishAsync{T}"/> they are
    /// published after commit (at the dispatcher's next round: call <see cref="OutboxSignal.Notify"/> to wake it).
    /// </summary>
    public static async Task PublishManyAsync<T>(this UnitOfWork work, IReadOnlyList<(Guid MessageId, T Message)> messages, CancellationToken cancellationToken) where T : class
    {
        if (messages.Count == 0)
        {
            return;
        }

        var type = MessageSerializer.TypeName(typeof(T));
        await using var importer = await work.Connection.BeginBinaryImportAsync(
            "COPY outbox_messages (message_id, message_type, body) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var (messageId, message) in messages)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(messageId, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(type, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(JsonSerializer.Serialize(message, MessageSerializer.Options), NpgsqlDbType.Text, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }
}
