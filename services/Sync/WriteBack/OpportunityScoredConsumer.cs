using Dapper;
using MassTransit;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Sync.WriteBack;

/// <summary>
/// Queues a score for write-back. Scores are coalesced per opportunity: a newer score replaces one not yet written,
/// so a burst of rescoring costs one API record per opportunity, not one per score.
/// </summary>
internal sealed class OpportunityScoredConsumer(UnitOfWorkFactory unitOfWork, WriteBackSignal signal) : IConsumer<OpportunityScored>
{
    public async Task Consume(ConsumeContext<OpportunityScored> context)
    {
        var score = context.Message;
        await using var work = await unitOfWork.BeginAsync(context.CancellationToken);
        if (!await work.TryMarkConsumedAsync(nameof(OpportunityScoredConsumer), context.MessageId!.Value, context.CancellationToken))
        {
            return;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO score_writebacks (opportunity_id, score, grade, flags, scored_at)
            VALUES (@OpportunityId, @Score, @Grade, @flags, @OccurredAt)
            ON CONFLICT (opportunity_id) DO UPDATE SET
                score = EXCLUDED.score, grade = EXCLUDED.grade, flags = EXCLUDED.flags, scored_at = EXCLUDED.scored_at,
                revision = score_writebacks.revision + 1, status = 'pending', attempts = 0, next_attempt_at = now(),
                last_error = NULL, updated_at = now()
            WHERE score_writebacks.scored_at <= EXCLUDED.scored_at
            """,
            new { score.OpportunityId, score.Score, score.Grade, flags = string.Join(';', score.Flags), score.OccurredAt },
            work.Transaction,
            cancellationToken: context.CancellationToken));
        await work.CommitAsync(context.CancellationToken);
        signal.Notify();
    }
}
