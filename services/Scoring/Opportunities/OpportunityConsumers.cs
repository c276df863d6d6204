using System.Text.Json;
using Dapper;
using MassTransit;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Scoring.Opportunities;

/// <summary>
/// Keeps Scoring's read model of opportunities. Idempotent (inbox on MessageId) and version-checked: a duplicate
/// does nothing and an older snapshot never replaces a newer one.
/// </summary>
internal sealed class OpportunityChangedConsumer(UnitOfWorkFactory unitOfWork) : IConsumer<OpportunityChanged>
{
    public async Task Consume(ConsumeContext<OpportunityChanged> context)
    {
        var message = context.Message;
        await using var work = await unitOfWork.BeginAsync(context.CancellationToken);
        if (!await work.TryMarkConsumedAsync(nameof(OpportunityChangedConsumer), context.MessageId!.Value, context.CancellationToken))
        {
            return;
        }

        var applied = await OpportunityReadModel.UpsertAsync(work, message.OpportunityId, message.Opportunity.OwnerId,
            message.Opportunity.StageName, isDeleted: false, message.SourceVersion,
            JsonSerializer.Serialize(message.Opportunity), context.CancellationToken);
        await OpportunityReadModel.RecordChangeAsync(work, context.MessageId.Value, message.OpportunityId, "changed",
            message.SourceVersion, applied, context.CancellationToken);
        await work.CommitAsync(context.CancellationToken);
    }
}

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

        var applied = await OpportunityReadModel.UpsertAsync(work, message.OpportunityId, ownerId: null, stageName: null,
            isDeleted: true, message.SourceVersion, snapshot: null, context.CancellationToken);
        await OpportunityReadModel.RecordChangeAsync(work, context.MessageId.Value, message.OpportunityId, "deleted",
            message.SourceVersion, applied, context.CancellationToken);
        await work.CommitAsync(context.CancellationToken);
    }
}

internal static class OpportunityReadModel
{
    /// <summary>Writes the row unless a newer version is stored; returns whether it was written.</summary>
    public static async Task<bool> UpsertAsync(UnitOfWork work, string id, string? ownerId, string? stageName, bool isDeleted,
        DateTimeOffset sourceVersion, string? snapshot, CancellationToken cancellationToken) =>
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO opportunities (id, owner_id, stage_name, is_deleted, source_version, snapshot)
            VALUES (@id, @ownerId, @stageName, @isDeleted, @sourceVersion, COALESCE(@snapshot::jsonb, '{}'))
            ON CONFLICT (id) DO UPDATE SET
                owner_id = COALESCE(EXCLUDED.owner_id, opportunities.owner_id),
                stage_name = COALESCE(EXCLUDED.stage_name, opportunities.stage_name),
                is_deleted = EXCLUDED.is_deleted,
                source_version = EXCLUDED.source_version,
                snapshot = CASE WHEN @snapshot IS NULL THEN opportunities.snapshot ELSE EXCLUDED.snapshot END,
                updated_at = now()
            WHERE opportunities.source_version <= EXCLUDED.source_version
            """,
            new { id, ownerId, stageName, isDeleted, sourceVersion, snapshot },
            work.Transaction,
            cancellationToken: cancellationToken)) == 1;

    public static Task RecordChangeAsync(UnitOfWork work, Guid messageId, string opportunityId, string kind,
        DateTimeOffset sourceVersion, bool applied, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO opportunity_changes (message_id, opportunity_id, kind, source_version, applied)
            VALUES (@messageId, @opportunityId, @kind, @sourceVersion, @applied)
            """,
            new { messageId, opportunityId, kind, sourceVersion, applied },
            work.Transaction,
            cancellationToken: cancellationToken));
}
