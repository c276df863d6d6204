using Dapper;
using MassTransit;
using Microsoft.Extensions.Options;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Notifications.Deliveries;
using PipelineCoach.Notifications.Escalations;
using PipelineCoach.Notifications.Opportunities;
using PipelineCoach.Notifications.Routing;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Notifications.Sources;

/// <summary>
/// Announces new risks to deal owners and tracks them for escalation, in batches (activation rescores every open deal
/// at once). Idempotent twice over: the inbox drops a redelivered message, the business key drops the same risk
/// arriving as another message (two Scoring instances, a restart).
/// </summary>
internal sealed class OpportunityScoredConsumer(UnitOfWorkFactory unitOfWork, SignalRouter router, DeliveryWake wake,
    IOptions<NotificationsOptions> options) : IConsumer<Batch<OpportunityScored>>
{
    public async Task Consume(ConsumeContext<Batch<OpportunityScored>> context)
    {
        var cancellationToken = context.CancellationToken;
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var fresh = await work.TryMarkConsumedManyAsync(nameof(OpportunityScoredConsumer),
            context.Message.Select(m => m.MessageId!.Value).Distinct().ToArray(), cancellationToken);
        var messages = context.Message.Where(m => fresh.Remove(m.MessageId!.Value)).Select(m => m.Message).ToList();
        if (messages.Count == 0)
        {
            return;
        }

        var deals = await DirectoryDeals.ReadAsync(work, [.. messages.Select(m => (m.OpportunityId, m.OwnerId))], cancellationToken);
        var signals = messages.Select(m => SignalRules.Risk(m, deals.GetValueOrDefault(m.OpportunityId)?.Info)).OfType<RoutedSignal>().ToList();
        // open_risks before budgets, as the escalation scanner takes them: one lock order.
        await TrackRisksAsync(work, messages, deals, cancellationToken);
        var written = await router.RouteAsync(work, signals, cancellationToken);
        await work.CommitAsync(cancellationToken);
        if (written > 0)
        {
            wake.Dispatch.Notify();
        }
    }

    /// <summary>
    /// Newly raised flags start their escalation clock (in the owner's zone); flags no longer raised stop theirs. The
    /// latest message per deal in the batch says what is raised; a flag any message of the batch raised counts from the
    /// first that raised it. Bulk work (initial load, reconcile, activation) starts no clock: its risks went to digests,
    /// and escalating each of them would announce them one by one after all.
    /// </summary>
    private async Task TrackRisksAsync(UnitOfWork work, List<OpportunityScored> messages, Dictionary<string, DirectoryDeal> deals, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var byDeal = messages.ToLookup(m => m.OpportunityId);
        var latest = byDeal.Select(g => g.MaxBy(m => m.OccurredAt)!).OrderBy(m => m.OpportunityId, StringComparer.Ordinal).ToList();
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM open_risks r USING unnest(@ids::char(18)[], @flags::text[]) AS x(id, flags)
            WHERE r.opportunity_id = x.id AND NOT (r.flag = ANY(string_to_array(x.flags, ',')))
            """,
            new { ids = latest.Select(m => m.OpportunityId).ToArray(), flags = latest.Select(m => string.Join(',', m.Flags)).ToArray() },
            work.Transaction, cancellationToken: cancellationToken));

        var raised = latest.Where(m => m.OwnerId is not null).SelectMany(m => byDeal[m.OpportunityId]
                .Where(earlier => !ScoreCause.IsBulk(earlier.Cause))
                .SelectMany(earlier => SignalRules.NewlyRaised(earlier).Select(flag => (Flag: flag, earlier.OccurredAt)))
                .Where(r => m.Flags.Contains(r.Flag))
                .GroupBy(r => r.Flag)
                .Select(g => (Message: m with { OccurredAt = g.Min(r => r.OccurredAt) }, Flag: g.Key)))
            .ToList();
        if (raised.Count == 0)
        {
            return;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO open_risks (opportunity_id, flag, owner_id, raised_at, level, escalate_at)
            SELECT id, flag, owner, at, 0, due FROM unnest(@ids::char(18)[], @flags::text[], @owners::char(18)[], @raisedAt::timestamptz[], @due::timestamptz[])
                AS x(id, flag, owner, at, due)
            ON CONFLICT (opportunity_id, flag) DO NOTHING
            """,
            new
            {
                ids = raised.Select(r => r.Message.OpportunityId).ToArray(),
                flags = raised.Select(r => r.Flag).ToArray(),
                owners = raised.Select(r => r.Message.OwnerId).ToArray(),
                raisedAt = raised.Select(r => r.Message.OccurredAt.UtcDateTime).ToArray(),
                due = raised.Select(r => BusinessHours.Add(r.Message.OccurredAt, settings.EscalationBusinessHours,
                    HoldTimes.Zone(deals.GetValueOrDefault(r.Message.OpportunityId)?.OwnerTimeZone), settings.BusinessDayStart, settings.BusinessDayEnd).UtcDateTime).ToArray(),
            },
            work.Transaction, cancellationToken: cancellationToken));
    }
}
