using MassTransit;

namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>
/// Makes the consumed message's ConversationId and CorrelationId ambient while its consumer runs, so outbox rows the
/// consumer writes carry them on (<see cref="OutboxHeaders"/>). Batch consumers see the ids of no single message.
/// </summary>
public sealed class ConsumeContextFilter<T> : IFilter<ConsumeContext<T>> where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var previous = OutboxHeaders.CurrentConsume;
        OutboxHeaders.CurrentConsume = (context.ConversationId, context.CorrelationId);
        try
        {
            await next.Send(context);
        }
        finally
        {
            OutboxHeaders.CurrentConsume = previous;
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("outboxHeaders");
}
