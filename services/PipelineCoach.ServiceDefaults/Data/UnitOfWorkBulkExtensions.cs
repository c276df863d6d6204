using System.Text.Json;
using Npgsql;
using PipelineCoach.ServiceDefaults.Messaging;

namespace PipelineCoach.ServiceDefaults.Data;

/// <summary>Set-based inbox and outbox writes for batch consumers and bulk jobs: one round trip instead of one per message.</summary>
public static class UnitOfWorkBulkExtensions
{
    /// <summary>
    /// Marks every id consumed by <paramref name="consumer"/> in one statement; returns the ids that were new (the rest
    /// are duplicates the caller skips). Same guarantee as <see cref="UnitOfWork.TryMarkConsumedAsync"/>. Ids are inserted
    /// in order, so two batches that share ids wait on each other instead of deadlocking.
    /// </summary>
    public static async Task<HashSet<Guid>> TryMarkConsumedManyAsync(this UnitOfWork work, string consumer, IReadOnlyCollection<Guid> messageIds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO inbox_messages (consumer, message_id) SELECT @consumer, id FROM unnest(@ids) AS id ORDER BY id
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
    /// Adds many messages of one type to the outbox as batch rows (see migration <c>0003_outbox_batches</c>): one row
    /// per <see cref="OutboxStore.MessagesPerRow"/> messages instead of one per message. Like
    /// <see cref="UnitOfWork.PublishAsync{T}"/> each message is published after commit with its own MessageId; the commit
    /// wakes the dispatcher.
    /// </summary>
    public static async Task PublishManyAsync<T>(this UnitOfWork work, IReadOnlyList<(Guid MessageId, T Message)> messages, CancellationToken cancellationToken) where T : class
    {
        var type = MessageSerializer.TypeName(typeof(T));
        foreach (var chunk in messages.Chunk(OutboxStore.MessagesPerRow))
        {
            await OutboxStore.AddBatchRowAsync(work, type, [.. chunk.Select(m => m.MessageId)],
                JsonSerializer.Serialize(chunk.Select(m => m.Message), MessageSerializer.Options), cancellationToken);
            work.MarkOutboxWritten();
        }
    }
}
