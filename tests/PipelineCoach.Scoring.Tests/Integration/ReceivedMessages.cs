using System.Collections.Concurrent;
using MassTransit;
using PipelineCoach.Testing;

namespace PipelineCoach.Scoring.Tests.Integration;

/// <summary>
/// Counts messages whose receive finished, per MessageId. Unlike a consume observer this also waits for batch
/// consumers: a message added to a batch is only received (and acknowledged) once its whole batch is committed.
/// </summary>
internal sealed class ReceivedMessages : IReceiveObserver
{
    private readonly ConcurrentDictionary<Guid, int> _counts = new();

    /// <summary>Consumer exceptions seen (each retry attempt included).</summary>
    public ConcurrentBag<Exception> Faults { get; } = [];

    public int Count(Guid messageId) => _counts.GetValueOrDefault(messageId);

    public Task WaitForAsync(Guid messageId, int atLeast) =>
        Eventually.TrueAsync(() => Task.FromResult(Count(messageId) >= atLeast), $"message {messageId} to be received {atLeast} time(s)");

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context)
    {
        Record(context);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class
    {
        Faults.Add(exception);
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        Record(context);
        return Task.CompletedTask;
    }

    private void Record(ReceiveContext context)
    {
        if (context.GetMessageId() is { } id)
        {
            _counts.AddOrUpdate(id, 1, (_, n) => n + 1);
        }
    }
}
