using System.Text.Json;
using Dapper;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>
/// Outbox rows of mixed message types for one unit of work, written in a single statement instead of one INSERT per
/// message. Rows are exactly what <see cref="UnitOfWork.PublishAsync{T}"/> writes (<see cref="MessageSerializer"/>), so
/// the dispatcher publishes them; the caller wakes it with <c>OutboxSignal.Notify</c> after commit.
/// </summary>
public sealed class OutboxBatch
{
    private readonly List<Guid> _ids = [];
    private readonly List<string> _types = [];
    private readonly List<string> _bodies = [];

    public int Count => _ids.Count;

    public void Add<T>(T message) where T : class
    {
        _ids.Add(Guid.CreateVersion7());
        _types.Add(TypeName<T>.Value);
        _bodies.Add(JsonSerializer.Serialize(message, MessageSerializer.Options));
    }

    public Task WriteAsync(UnitOfWork work, CancellationToken cancellationToken) =>
        Count == 0
            ? Task.CompletedTask
            : work.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO outbox_messages (message_id, message_type, body)
                SELECT * FROM unnest(@ids, @types, @bodies)
                """,
                new { ids = _ids.ToArray(), types = _types.ToArray(), bodies = _bodies.ToArray() },
                work.Transaction,
                cancellationToken: cancellationToken));

    private static class TypeName<T>
    {
        public static readonly string Value = MessageSerializer.TypeName(typeof(T));
    }
}
