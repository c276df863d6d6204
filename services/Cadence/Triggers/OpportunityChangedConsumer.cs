using System.Globalization;
using Dapper;
using MassTransit;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Cadence.Ledger;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Cadence.Triggers;

/// <summary>
/// Keeps the opportunities agendas read, and turns creations and stage entries into event-driven occurrences: one per
/// (cadence, opportunity, trigger), at most one pending per cadence and opportunity. A closed deal retires its pending
/// occurrences. Idempotent (inbox) and version-checked: an older snapshot changes nothing.
/// </summary>
internal sealed class OpportunityChangedConsumer(UnitOfWorkFactory unitOfWork, EventOccurrences occurrences, LedgerSignal signal, TimeProvider timeProvider)
    : IConsumer<OpportunityChanged>
{
    public async Task Consume(ConsumeContext<OpportunityChanged> context)
    {
        var message = context.Message;
        var opportunity = message.Opportunity;
        var cancellationToken = context.CancellationToken;
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (!await work.TryMarkConsumedAsync(nameof(OpportunityChangedConsumer), context.MessageId!.Value, cancellationToken))
        {
            return;
        }

        var stored = await work.Connection.QuerySingleOrDefaultAsync<(string? Stage, DateTime SourceVersion)?>(new CommandDefinition(
            "SELECT stage, source_version FROM opportunities WHERE opportunity_id = @OpportunityId FOR UPDATE",
            message, work.Transaction, cancellationToken: cancellationToken));
        if (stored is { } current && current.SourceVersion > message.SourceVersion.UtcDateTime)
        {
            await work.CommitAsync(cancellationToken);
            return;
        }

        var isClosed = opportunity.IsClosed ?? false;
        var applied = await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO opportunities (opportunity_id, name, account_id, owner_id, stage, amount, close_date, next_step, next_step_date,
                discount_percent, is_closed, is_won, is_deleted, created_date, stage_entered_at, source_version)
            VALUES (@Id, @Name, @AccountId, @OwnerId, @StageName, @Amount, @CloseDate, @NextStep, @NextStepDate,
                @DiscountPercent, @isClosed, @IsWon, false, @CreatedDate, @StageEnteredAt, @SourceVersion)
            ON CONFLICT (opportunity_id) DO UPDATE SET
                name = EXCLUDED.name, account_id = EXCLUDED.account_id, owner_id = EXCLUDED.owner_id, stage = EXCLUDED.stage,
                amount = EXCLUDED.amount, close_date = EXCLUDED.close_date, next_step = EXCLUDED.next_step,
                next_step_date = EXCLUDED.next_step_date, discount_percent = EXCLUDED.discount_percent,
                is_closed = EXCLUDED.is_closed, is_won = EXCLUDED.is_won, is_deleted = false,
                created_date = EXCLUDED.created_date, stage_entered_at = EXCLUDED.stage_entered_at,
                source_version = EXCLUDED.source_version
            WHERE opportunities.source_version <= EXCLUDED.source_version
            """,
            new
            {
                opportunity.Id,
                opportunity.Name,
                opportunity.AccountId,
                opportunity.OwnerId,
                opportunity.StageName,
                opportunity.Amount,
                CloseDate = opportunity.CloseDate?.ToDateTime(TimeOnly.MinValue),
                opportunity.NextStep,
                NextStepDate = CustomDate(opportunity, "Next_Step_Date__c")?.ToDateTime(TimeOnly.MinValue),
                DiscountPercent = CustomDecimal(opportunity, "Discount_Percent__c"),
                isClosed,
                IsWon = opportunity.IsWon ?? false,
                CreatedDate = opportunity.CreatedDate?.UtcDateTime,
                StageEnteredAt = message.History?.CurrentStageEnteredAt?.UtcDateTime,
                SourceVersion = message.SourceVersion.UtcDateTime,
            },
            work.Transaction, cancellationToken: cancellationToken));

        var written = 0;
        if (applied == 0)
        {
            // A newer version was stored concurrently (by another instance) since the check above: nothing to do.
        }
        else if (isClosed)
        {
            await occurrences.RetireAsync(work, opportunity.Id, "opportunity-closed", cancellationToken);
        }
        else
        {
            // A create counts once: the first time the deal is seen through a create. A stage entry is a stage
            // different from the one this service last stored (so a reconcile that catches a missed move still counts,
            // and the initial load, which has nothing stored to compare with, creates nothing).
            var move = new OpportunityMove(
                opportunity.Id,
                Created: stored is null && message.ChangeType == "CREATE",
                EnteredStage: stored is { } before && !string.Equals(before.Stage, opportunity.StageName, StringComparison.Ordinal),
                opportunity.StageName,
                opportunity.Amount,
                opportunity.OwnerId,
                OwnerManagerId: null);
            if (move.Created || move.EnteredStage)
            {
                written = await occurrences.CreateAsync(work, move, timeProvider.GetUtcNow(), cancellationToken);
            }
        }

        await work.CommitAsync(cancellationToken);
        if (written > 0)
        {
            signal.OccurrencesWritten();
        }
    }

    private static DateOnly? CustomDate(OpportunitySnapshot opportunity, string field) =>
        opportunity.CustomFields.TryGetValue(field, out var text) && DateOnly.TryParse(text, CultureInfo.InvariantCulture, out var date) ? date : null;

    private static decimal? CustomDecimal(OpportunitySnapshot opportunity, string field) =>
        opportunity.CustomFields.TryGetValue(field, out var text) && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;
}
