using System.Text.Json;
using Dapper;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>Writes outbox rows in the caller's transaction, each with the writer's trace context (<see cref="OutboxHeaders"/>).</summary>
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
            INSERT INTO outbox_messages (message_id, message_type, body, message_ids, message_count, headers)
            VALUES (@messageId, @messageType, @body, @messageIds, @count, @headers::jsonb)
            """,
            new { messageId = Guid.CreateVersion7(), messageType, body = jsonArray, messageIds, count = messageIds.Length, headers = OutboxHeaders.CaptureJson() },
            work.Transaction,
            cancellationToken: cancellationToken));

    public static Task AddAsync<T>(UnitOfWork work, T message, Guid messageId, CancellationToken cancellationToken) where T : class =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outbox_messages (message_id, message_type, body, headers)
            VALUES (@messageId, @messageType, @body, @headers::jsonb)
            """,
            new
            {
                messageId,
                messageType = MessageSerializer.TypeName(message.GetType()),
                body = JsonSerializer.Serialize(message, message.GetType(), MessageSerializer.Options),
                headers = OutboxHeaders.CaptureJson(),
            },
            work.Transaction,
            cancellationToken: cancellationToken));
}
