using System.Collections.Concurrent;
using MassTransit;

namespace PipelineCoach.Testing;

/// <summary>
/// The one message observer of the test suite: counts, per MessageId, how often a message's handling finished
/// (successfully or faulted) on a bus, and collects consumer exceptions, so tests can wait for a consumer's effect.
/// Connect it with <c>bus.ConnectReceiveObserver(observer)</c>: a receive finishes only after the consumer (and,
/// for batch consumers, its whole batch) completed and the message was acknowledged, so what the consumer wrote is
/// visible once <see cref="WaitForAsync"/> returns. Connecting it with <c>ConnectConsumeObserver</c> still works for
/// plain consumers (it then counts finished consumptions); connect it one way only.
/// </summary>
public sealed class ConsumedMessages : IReceiveObserver, IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _counts = new();

    private readonly ConcurrentQueue<string> _traceParents = new();

    /// <summary>The W3C <c>traceparent</c> header of every message received (connected as a receive observer).</summary>
    public IReadOnlyCollection<string> TraceParents => _traceParents;

    /// <summary>Consumer exceptions seen (each retry attempt included).</summary>
    public ConcurrentBag<Exception> Faults { get; } = [];

    /// <summary>How often handling of <paramref name="messageId"/> finished so far.</summary>
    public int Count(Guid messageId) => _counts.GetValueOrDefault(messageId);

    /// <summary>
    /// Waits until handling of <paramref name="messageId"/> finished <paramref name="atLeast"/> times in total, or, when
    /// that is not given, once more than when called.
    /// </summary>
    public Task WaitForAsync(Guid messageId, int? atLeast = null)
    {
        var target = atLeast ?? Count(messageId) + 1;
        return Eventually.TrueAsync(() => Count(messageId) >= target, $"message {messageId} to be handled {target} time(s)");
    }

    /// <summary>Waits until handling of every one of <paramref name="messageIds"/> finished at least once.</summary>
    public Task WaitForAllAsync(IReadOnlyCollection<Guid> messageIds) =>
        Eventually.TrueAsync(() => messageIds.All(id => Count(id) > 0), $"all {messageIds.Count} messages to be handled");

    Task IReceiveObserver.PreReceive(ReceiveContext context)
    {
        if (context.TransportHeaders.Get<string>("traceparent") is { } traceParent)
        {
            _traceParents.Enqueue(traceParent);
        }

        return Task.CompletedTask;
    }

    Task IReceiveObserver.PostReceive(ReceiveContext context) => Record(context.GetMessageId());

    Task IReceiveObserver.PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) => Task.CompletedTask;

    Task IReceiveObserver.ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
    {
        Faults.Add(exception);
        return Task.CompletedTask;
    }

    Task IReceiveObserver.ReceiveFault(ReceiveContext context, Exception exception) => Record(context.GetMessageId());

    Task IConsumeObserver.PreConsume<T>(ConsumeContext<T> context) => Task.CompletedTask;

    Task IConsumeObserver.PostConsume<T>(ConsumeContext<T> context) => Record(context.MessageId);

    Task IConsumeObserver.ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
    {
        Faults.Add(exception);
        return Record(context.MessageId);
    }

    private Task Record(Guid? messageId)
    {
        if (messageId is { } id)
        {
            _counts.AddOrUpdate(id, 1, (_, n) => n + 1);
        }

        return Task.CompletedTask;
    }
}
