using MassTransit;
using PipelineCoach.Contracts.Notifications;

namespace PipelineCoach.Sync.Tasks;

/// <summary>Creates the requested Salesforce Task once per request id (see <see cref="SalesforceTaskCreator"/>).</summary>
internal sealed class SalesforceTaskRequestedConsumer(SalesforceTaskCreator creator) : IConsumer<SalesforceTaskRequested>
{
    public Task Consume(ConsumeContext<SalesforceTaskRequested> context) =>
        creator.CreateAsync(context.Message, context.MessageId ?? NewId.NextGuid(), context.CancellationToken);
}
