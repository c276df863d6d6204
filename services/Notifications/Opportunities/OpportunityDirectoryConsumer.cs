using Dapper;
using MassTransit;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Notifications.Opportunities;

/// <summary>
/// Keeps the names and amounts notices show, from <see cref="OpportunityChanged"/>, in batches (an initial load sends
/// thousands at once). Idempotent (inbox) and version-checked: an older snapshot never replaces a newer one. A closed
/// or deleted deal's open risks stop escalating.
/// </summary>
internal sealed class OpportunityDirectoryConsumer(UnitOfWorkFactory unitOfWork) : IConsumer<Batch<OpportunityChanged>>, IConsumer<OpportunityDeleted>
{
    public async Task Consume(ConsumeContext<Batch<OpportunityChanged>> context)
    {
        var cancellationToken = context.CancellationToken;
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var fresh = await work.TryMarkConsumedManyAsync(nameof(OpportunityDirectoryConsumer),
            context.Message.Select(m => m.MessageId!.Value).Distinct().ToArray(), cancellationToken);
        var newest = context.Message.Where(m => fresh.Remove(m.MessageId!.Value)).Select(m => m.Message)
            .GroupBy(m => m.OpportunityId).Select(g => g.MaxBy(m => m.SourceVersion)!)
            .OrderBy(m => m.OpportunityId, StringComparer.Ordinal).ToList();
        if (newest.Count == 0)
        {
            return;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO opportunities (opportunity_id, name, amount, owner_id, stage_name, is_closed, source_version)
            SELECT * FROM unnest(@ids::char(18)[], @names::text[], @amounts::numeric[], @owners::char(18)[], @stages::text[],
                                 @closed::boolean[], @versions::timestamptz[])
            ON CONFLICT (opportunity_id) DO UPDATE SET
                name = EXCLUDED.name, amount = EXCLUDED.amount, owner_id = EXCLUDED.owner_id, stage_name = EXCLUDED.stage_name,
                is_closed = EXCLUDED.is_closed, source_version = EXCLUDED.source_version
            WHERE opportunities.source_version <= EXCLUDED.source_version
            """,
            new
            {
                ids = newest.Select(m => m.OpportunityId).ToArray(),
                names = newest.Select(m => m.Opportunity.Name).ToArray(),
                amounts = newest.Select(m => m.Opportunity.Amount).ToArray(),
                owners = newest.Select(m => m.Opportunity.OwnerId).ToArray(),
                stages = newest.Select(m => m.Opportunity.StageName).ToArray(),
                closed = newest.Select(m => m.Opportunity.IsClosed ?? false).ToArray(),
                versions = newest.Select(m => m.SourceVersion.UtcDateTime).ToArray(),
            },
            work.Transaction, cancellationToken: cancellationToken));
        var closed = newest.Where(m => m.Opportunity.IsClosed == true).Select(m => m.OpportunityId).ToArray();
        if (closed.Length > 0)
        {
            await work.Connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM open_risks WHERE opportunity_id = ANY(@closed)", new { closed }, work.Transaction, cancellationToken: cancellationToken));
        }

        await work.CommitAsync(cancellationToken);
    }

    public async Task Consume(ConsumeContext<OpportunityDeleted> context)
    {
        var cancellationToken = context.CancellationToken;
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (!await work.TryMarkConsumedAsync(nameof(OpportunityDirectoryConsumer), context.MessageId!.Value, cancellationToken))
        {
            return;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE opportunities SET is_closed = true WHERE opportunity_id = @OpportunityId;
            DELETE FROM open_risks WHERE opportunity_id = @OpportunityId;
            """, context.Message, work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);
    }
}
