using System.Text.Json;
using Dapper;
using Npgsql;
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
    public static async Task AddBatchRowAsync(UnitOfWork work, string messageType, Guid[] messageIds, string jsonArray, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO outbox_messages (message_id, message_type, body, message_ids, message_count)
            VALUES (@id, @type, @body, @ids, @count)
            """,
            work.Connection, work.Transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid>("id", Guid.CreateVersion7()));
        command.Parameters.Add(new NpgsqlParameter<string>("type", messageType));
        command.Parameters.Add(new NpgsqlParameter<string>("body", jsonArray));
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", messageIds));
        command.Parameters.Add(new NpgsqlParameter<int>("count", messageIds.Length));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

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
