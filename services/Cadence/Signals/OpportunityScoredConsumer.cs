using Dapper;
using MassTransit;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Cadence.Signals;

/// <summary>
/// Keeps each opportunity's current score, grade and raised flags from <see cref="OpportunityScored"/>, and when each
/// flag was raised with its reason, so a huddle can list the risks that are new since the previous one.
/// </summary>
internal sealed class OpportunityScoredConsumer(UnitOfWorkFactory unitOfWork) : IConsumer<OpportunityScored>
{
    /// <summary>The prefix Scoring used to put before a raised flag's reason in <see cref="OpportunityScored.Changes"/>.</summary>
    private static string RaisedPrefix(string flag) => $"flag '{flag}' raised: ";

    public async Task Consume(ConsumeContext<OpportunityScored> context)
    {
        var scored = context.Message;
        await using var work = await unitOfWork.BeginAsync(context.CancellationToken);
        if (!await work.TryMarkConsumedAsync(nameof(OpportunityScoredConsumer), context.MessageId!.Value, context.CancellationToken))
        {
            return;
        }

        // Newer (source version, computed at) wins, and a tie applies on purpose (as in Scoring's SourceVersionRule): Scoring
        // rescores an unchanged snapshot when Sync re-announces it with new history or contact roles, possibly within the
        // same instant; a redelivery of one message is already dropped by the inbox.
        var applied = await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO opportunity_scores (opportunity_id, scorecard_id, owner_id, score, grade, flags, source_version, occurred_at)
            VALUES (@OpportunityId, @ScorecardId, @OwnerId, @Score, @Grade, @Flags, @SourceVersion, @OccurredAt)
            ON CONFLICT (opportunity_id, scorecard_id) DO UPDATE SET
                owner_id = EXCLUDED.owner_id, score = EXCLUDED.score, grade = EXCLUDED.grade, flags = EXCLUDED.flags,
                source_version = EXCLUDED.source_version, occurred_at = EXCLUDED.occurred_at
            WHERE (opportunity_scores.source_version, opportunity_scores.occurred_at) <= (EXCLUDED.source_version, EXCLUDED.occurred_at)
            """,
            new { scored.OpportunityId, scored.ScorecardId, scored.OwnerId, scored.Score, scored.Grade, Flags = scored.Flags.ToArray(), scored.SourceVersion, scored.OccurredAt },
            work.Transaction,
            cancellationToken: context.CancellationToken));
        if (applied > 0)
        {
            await ApplyFlagsAsync(work, scored, context.CancellationToken);
        }

        await work.CommitAsync(context.CancellationToken);
    }

    /// <summary>
    /// The stored flags become the message's: cleared ones go, newly raised ones (not in PreviousFlags) are stamped with
    /// this score's time and reason. A flag still raised that was never stored (its raising message was missed or
    /// came late) is stamped with this score's time as well: later than the truth, but it is not lost.
    /// </summary>
    private static async Task ApplyFlagsAsync(UnitOfWork work, OpportunityScored scored, CancellationToken cancellationToken)
    {
        var flags = scored.Flags.Distinct(StringComparer.Ordinal).ToArray();
        var raisedNow = flags.Except(scored.PreviousFlags, StringComparer.Ordinal).ToArray();
        var reasons = flags.Select(flag => Reason(scored, flag)).ToArray();
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM opportunity_flags
            WHERE opportunity_id = @OpportunityId AND scorecard_id = @ScorecardId AND NOT (flag = ANY(@flags));

            INSERT INTO opportunity_flags (opportunity_id, scorecard_id, flag, raised_at, reason)
            SELECT @OpportunityId, @ScorecardId, raised.flag, @OccurredAt, raised.reason
            FROM unnest(@flags, @reasons) AS raised(flag, reason)
            ON CONFLICT (opportunity_id, scorecard_id, flag) DO UPDATE SET
                raised_at = EXCLUDED.raised_at, reason = COALESCE(EXCLUDED.reason, opportunity_flags.reason)
            WHERE EXCLUDED.flag = ANY(@raisedNow);
            """,
            new { scored.OpportunityId, scored.ScorecardId, scored.OccurredAt, flags, reasons, raisedNow },
            work.Transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>The flag's reason from <see cref="OpportunityScored.FlagReasons"/>, else from the changes of older publishers.</summary>
    private static string? Reason(OpportunityScored scored, string flag)
    {
        if (scored.FlagReasons.TryGetValue(flag, out var reason))
        {
            return reason;
        }

        var prefix = RaisedPrefix(flag);
        var change = scored.Changes.FirstOrDefault(c => c.StartsWith(prefix, StringComparison.Ordinal));
        return change?[prefix.Length..];
    }
}
