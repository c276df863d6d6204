using System.Text.Json;
using Dapper;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.ServiceDefaults.Messaging;

internal static class OutboxStore
{
    /// <summary>Most messages one batch row carries; a bigger list is split, so no single publish round grows unbounded.</summary>
    public const int MessagesPerRow = 500;

    /// <summary>
    /// One row holding several messages of one type: <paramref name="jsonArray"/> is their bodies as a JSON array, in
    /// the order of <paramref name="messageIds"/> (migration <c>0003_outbox_batches</c>).
    /// </summary>
    public static Task AddBatchRowAsync(UnitOfWork work, string messageType, Guid[] messageIds, string jsonArray, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outbox_messages (message_id, message_type, body, message_ids, message_count)
            VALUES (@messageId, @messageType, @body, @messageIds, @count)
            """,
            new { messageId = Guid.CreateVersion7(), messageType, body = jsonArray, messageIds, count = messageIds.Length },
            work.Transaction,
            cancellationToken: cancellationToken));

    public static Task AddAsync<T>(UnitOfWork work, T message, Guid messageId, CancellationToken cancellationToken) where T : class =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outbox_messages (message_id, message_type, body)
            VALUES (@messageId, @messageType, @body)
            """,
            new
            {
                messageId,
                messageType = MessageSerializer.TypeName(message.GetType()),
                body = JsonSerializer.Serialize(message, message.GetType(), MessageSerializer.Options),
            },
            work.Transaction,
            cancellationToken: cancellationToken));
}

internal static class InboxStore
{
    public static async Task<bool> TryAddAsync(UnitOfWork work, string consumer, Guid messageId, CancellationToken cancellationToken)
    {
        var inserted = await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO inbox_messages (consumer, message_id) VALUES (@consumer, @messageId)
            ON CONFLICT DO NOTHING
            """,
            new { consumer, messageId },
            work.Transaction,
            cancellationToken: cancellationToken));
        return inserted == 1;
    }
}
