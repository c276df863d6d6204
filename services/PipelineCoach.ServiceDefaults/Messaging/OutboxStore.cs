using System.Text.Json;
using Dapper;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.ServiceDefaults.Messaging;

internal static class OutboxStore
{
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
