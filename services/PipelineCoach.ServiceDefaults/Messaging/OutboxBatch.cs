using System.Text.Json;
using Dapper;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>
/// Outbox messages of mixed types for one unit of work, written in a handful of statements instead of one INSERT per
/// message: the messages of each type go into batch rows (migration <c>0003_outbox_batches</c>), a type with a single
/// message into an ordinary row. The dispatcher publishes each message with its own MessageId; the caller wakes it
/// with <c>OutboxSignal.Notify</c> after commit.
/// </summary>
public sealed class OutboxBatch
{
    private readonly List<(Guid Id, string Type, string Body)> _messages = [];

    public int Count => _messages.Count;

    public void Add<T>(T message) where T : class =>
        _messages.Add((Guid.CreateVersion7(), TypeName<T>.Value, JsonSerializer.Serialize(message, MessageSerializer.Options)));

    public async Task WriteAsync(UnitOfWork work, CancellationToken cancellationToken)
    {
        var singles = new List<(Guid Id, string Type, string Body)>();
        foreach (var group in _messages.GroupBy(m => m.Type, StringComparer.Ordinal))
        {
            var messages = group.ToList();
            if (messages.Count == 1)
            {
                singles.Add(messages[0]);
                continue;
            }

            foreach (var chunk in messages.Chunk(OutboxStore.MessagesPerRow))
            {
                // The bodies are JSON already: joined, they are the row's array.
                await OutboxStore.AddBatchRowAsync(work, group.Key, [.. chunk.Select(m => m.Id)],
                    $"[{string.Join(',', chunk.Select(m => m.Body))}]", cancellationToken);
            }
        }

        if (singles.Count > 0)
        {
            await work.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO outbox_messages (message_id, message_type, body)
                SELECT * FROM unnest(@ids, @types, @bodies)
                """,
                new { ids = singles.Select(m => m.Id).ToArray(), types = singles.Select(m => m.Type).ToArray(), bodies = singles.Select(m => m.Body).ToArray() },
                work.Transaction,
                cancellationToken: cancellationToken));
        }
    }

    private static class TypeName<T>
    {
        public static readonly string Value = MessageSerializer.TypeName(typeof(T));
    }
}
