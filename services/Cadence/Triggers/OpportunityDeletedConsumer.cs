using Dapper;
using MassTransit;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Cadence.Triggers;

/// <summary>A deleted opportunity leaves agendas and retires its pending occurrences.</summary>
internal sealed class OpportunityDeletedConsumer(UnitOfWorkFactory unitOfWork, EventOccurrences occurrences) : IConsumer<OpportunityDeleted>
{
    public async Task Consume(ConsumeContext<OpportunityDeleted> context)
    {
        var message = context.Message;
        await using var work = await unitOfWork.BeginAsync(context.CancellationToken);
        if (!await work.TryMarkConsumedAsync(nameof(OpportunityDeletedConsumer), context.MessageId!.Value, context.CancellationToken))
        {
            return;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO opportunities (opportunity_id, is_deleted, is_closed, source_version) VALUES (@OpportunityId, true, true, @SourceVersion)
            ON CONFLICT (opportunity_id) DO UPDATE SET is_deleted = true, source_version = EXCLUDED.source_version
            WHERE opportunities.source_version <= EXCLUDED.source_version
            """,
            new { message.OpportunityId, SourceVersion = message.SourceVersion.UtcDateTime }, work.Transaction, cancellationToken: context.CancellationToken));
        await occurrences.RetireAsync(work, message.OpportunityId, "opportunity-deleted", context.CancellationToken);
        await work.CommitAsync(context.CancellationToken);
    }
}
