using System.Collections.Concurrent;
using MassTransit;
using PipelineCoach.ServiceDefaults.Messaging;

namespace PipelineCoach.ServiceDefaults.Tests;

/// <summary>
/// A bus of the test's own (with the services' exchange names) and a temporary queue bound to one contract's exchange: what it holds really reached a
/// queue, which "dispatched_at is set" alone does not show.
/// </summary>
internal sealed class QueueListener<T> : IAsyncDisposable where T : class
{
    private readonly IBusControl _bus;

    private QueueListener(IBusControl bus) => _bus = bus;

    /// <summary>Every delivery, in arrival order (repeats included).</summary>
    public ConcurrentQueue<Received> Deliveries { get; } = new();

    public IBus Bus => _bus;

    public sealed record Received(Guid MessageId, T Message, Guid? ConversationId, Guid? CorrelationId, string? TraceParent);

    public static async Task<QueueListener<T>> StartAsync(string rabbitMqUri)
    {
        QueueListener<T>? listener = null;
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(rabbitMqUri));
            rabbit.MessageTopology.SetEntityNameFormatter(new ContractEntityNameFormatter(rabbit.MessageTopology.EntityNameFormatter));
            rabbit.ReceiveEndpoint($"outbox-test-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Handler<T>(context =>
                {
                    listener!.Deliveries.Enqueue(new Received(
                        context.MessageId!.Value, context.Message, context.ConversationId, context.CorrelationId,
                        context.Headers.Get<string>("traceparent")));
                    return Task.CompletedTask;
                });
            });
        });
        listener = new QueueListener<T>(bus);
        await bus.StartAsync();
        return listener;
    }

    public int CountOf(Guid messageId) => Deliveries.Count(d => d.MessageId == messageId);

    public bool HasAll(IEnumerable<Guid> messageIds)
    {
        var seen = Deliveries.Select(d => d.MessageId).ToHashSet();
        return messageIds.All(seen.Contains);
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
