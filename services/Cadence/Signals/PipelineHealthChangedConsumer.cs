using Dapper;
using MassTransit;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Cadence.Signals;

/// <summary>
/// Keeps each pipeline health condition (coverage, inflow, tunnel vision per rep or team and period) as
/// <see cref="PipelineHealthChanged"/> last described it: the weekly review's fallback when Scoring does not answer.
/// </summary>
internal sealed class PipelineHealthChangedConsumer(UnitOfWorkFactory unitOfWork) : IConsumer<PipelineHealthChanged>
{
    public async Task Consume(ConsumeContext<PipelineHealthChanged> context)
    {
        var change = context.Message;
        await using var work = await unitOfWork.BeginAsync(context.CancellationToken);
        if (!await work.TryMarkConsumedAsync(nameof(PipelineHealthChangedConsumer), context.MessageId!.Value, context.CancellationToken))
        {
            return;
        }

        // A condition has no source version: the later detection wins; a tie applies (a redelivery is dropped by the inbox).
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO health_conditions (business_key, subject_kind, subject_id, period, condition, is_raised, value, threshold, reason, occurred_at)
            VALUES (@BusinessKey, @SubjectKind, @SubjectId, @Period, @Condition, @IsRaised, @Value, @Threshold, @Reason, @OccurredAt)
            ON CONFLICT (business_key) DO UPDATE SET
                subject_kind = EXCLUDED.subject_kind, subject_id = EXCLUDED.subject_id, period = EXCLUDED.period,
                condition = EXCLUDED.condition, is_raised = EXCLUDED.is_raised, value = EXCLUDED.value,
                threshold = EXCLUDED.threshold, reason = EXCLUDED.reason, occurred_at = EXCLUDED.occurred_at
            WHERE health_conditions.occurred_at <= EXCLUDED.occurred_at
            """,
            change,
            work.Transaction,
            cancellationToken: context.CancellationToken));
        await work.CommitAsync(context.CancellationToken);
    }
}
