using System.Collections.Concurrent;
using MassTransit;

namespace PipelineCoach.Testing;

/// <summary>Counts finished consumptions (successful or faulted) per MessageId so tests can wait for them.</summary>
public sealed class ConsumedMessages : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _counts = new();

    public int Count(Guid messageId) => _counts.GetValueOrDefault(messageId);

    /// <summary>Waits until one more consumption of <paramref name="messageId"/> than when called has finished.</summary>
    public Task WaitForAsync(Guid messageId, int? atLeast = null)
    {
        var target = atLeast ?? Count(messageId) + 1;
        return Eventually.TrueAsync(() => Task.FromResult(Count(messageId) >= target), $"message {messageId} to be consumed {target} time(s)");
    }

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Record(context);

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Record(context);

    private Task Record(ConsumeContext context)
    {
        if (context.MessageId is { } id)
        {
            _counts.AddOrUpdate(id, 1, (_, n) => n + 1);
        }

        return Task.CompletedTask;
    }
}
