using Dapper;
using MassTransit;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Scoring.Opportunities;

internal sealed class OpportunityDeletedConsumer(UnitOfWorkFactory unitOfWork) : IConsumer<OpportunityDeleted>
{
    public async Task Consume(ConsumeContext<OpportunityDeleted> context)
    {
        var message = context.Message;
        await using var work = await unitOfWork.BeginAsync(context.CancellationToken);
        if (!await work.TryMarkConsumedAsync(nameof(OpportunityDeletedConsumer), context.MessageId!.Value, context.CancellationToken))
        {
            return;
        }

        var applied = await OpportunityReadModel.MarkDeletedAsync(work, message.OpportunityId, message.SourceVersion, context.CancellationToken);
        if (applied)
        {
            // A deleted deal leaves scoring and pipeline health; its history stays for audit.
            await work.Connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM scores WHERE opportunity_id = @id::bpchar", new { id = message.OpportunityId }, work.Transaction,
                cancellationToken: context.CancellationToken));
        }

        await OpportunityReadModel.RecordChangesAsync(work,
            [(context.MessageId.Value, message.OpportunityId, "deleted", message.SourceVersion, applied)], context.CancellationToken);
        await work.CommitAsync(context.CancellationToken);
    }
}
