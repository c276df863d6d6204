using Dapper;
using MassTransit;
using PipelineCoach.Contracts.Cadence;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Notifications.Deliveries;
using PipelineCoach.Notifications.Routing;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Notifications.Sources;

/// <summary>
/// Pipeline-health conditions and cadence occurrences: one message, one signal, routed in the consumer's transaction
/// with its inbox marker.
/// </summary>
internal sealed class RoutineSignalConsumers(UnitOfWorkFactory unitOfWork, SignalRouter router, DeliveryWake wake)
    : IConsumer<PipelineHealthChanged>, IConsumer<CadenceOccurrenceDue>, IConsumer<CadenceOccurrenceMissed>
{
    public Task Consume(ConsumeContext<PipelineHealthChanged> context) =>
        RouteAsync(context, async work => SignalRules.Health(context.Message, await NameAsync(work, context.Message.SubjectId, context.CancellationToken)));

    public Task Consume(ConsumeContext<CadenceOccurrenceDue> context) =>
        RouteAsync(context, _ => Task.FromResult<RoutedSignal?>(SignalRules.CadenceDue(context.Message)));

    public Task Consume(ConsumeContext<CadenceOccurrenceMissed> context) =>
        RouteAsync(context, async work => SignalRules.CadenceMissed(context.Message, await NameAsync(work, context.Message.AssigneeId, context.CancellationToken)));

    private async Task RouteAsync<T>(ConsumeContext<T> context, Func<UnitOfWork, Task<RoutedSignal?>> decide) where T : class
    {
        var cancellationToken = context.CancellationToken;
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (!await work.TryMarkConsumedAsync($"{nameof(RoutineSignalConsumers)}.{typeof(T).Name}", context.MessageId!.Value, cancellationToken))
        {
            return;
        }

        var written = await decide(work) is { } signal ? await router.RouteAsync(work, [signal], cancellationToken) : 0;
        await work.CommitAsync(cancellationToken);
        if (written > 0)
        {
            wake.Dispatch.Notify();
        }
    }

    private static Task<string?> NameAsync(UnitOfWork work, string userId, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT name FROM recipients WHERE user_id = @userId", new { userId }, work.Transaction, cancellationToken: cancellationToken));
}
