using System.Text.Json;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>
/// Outbox messages of mixed types for one unit of work, written as one batch row per message type (migration
/// <c>0003_outbox_batches</c>) instead of one INSERT per message. The dispatcher publishes each message with its own
/// MessageId; the commit wakes the dispatcher.
/// </summary>
public sealed class OutboxBatch
{
    private readonly List<(Guid Id, string Type, string Body)> _messages = [];

    public int Count => _messages.Count;

    public void Add<T>(T message) where T : class =>
        _messages.Add((Guid.CreateVersion7(), TypeName<T>.Value, JsonSerializer.Serialize(message, MessageSerializer.Options)));

    public async Task WriteAsync(UnitOfWork work, CancellationToken cancellationToken)
    {
        foreach (var group in _messages.GroupBy(m => m.Type, StringComparer.Ordinal))
        {
            foreach (var chunk in group.Chunk(OutboxStore.MessagesPerRow))
            {
                // The bodies are JSON already: joined, they are the row's array.
                await OutboxStore.AddBatchRowAsync(work, group.Key, [.. chunk.Select(m => m.Id)],
                    $"[{string.Join(',', chunk.Select(m => m.Body))}]", cancellationToken);
                work.MarkOutboxWritten();
            }
        }
    }

    private static class TypeName<T>
    {
        public static readonly string Value = MessageSerializer.TypeName(typeof(T));
    }
}
