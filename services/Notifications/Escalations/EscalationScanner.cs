using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PipelineCoach.Notifications.Deliveries;
using PipelineCoach.Notifications.Opportunities;
using PipelineCoach.Notifications.Routing;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Notifications.Escalations;

/// <summary>
/// Escalates risks that stay raised: after the window (24 business hours in the owner's zone by default) to the
/// owner's manager, after another to that manager's manager. Claimed like every ledger (<see cref="LeaseClaim"/>);
/// the escalation's deliveries and the risk's next level are written in one transaction that checks the lease, and
/// the escalation's business key makes a level announce once even if two instances raced.
/// </summary>
internal sealed partial class EscalationScanner(
    NpgsqlDataSource dataSource,
    UnitOfWorkFactory unitOfWork,
    SignalRouter router,
    DeliveryWake wake,
    IOptions<NotificationsOptions> options,
    TimeProvider timeProvider,
    ILogger<EscalationScanner> logger) : BackgroundService
{
    public const int TopLevel = 2;

    private static readonly LeaseClaim DueRisks = new(
        Table: "open_risks",
        Key: "opportunity_id, flag",
        Due: $"level < {TopLevel} AND escalate_at <= @now",
        OrderBy: "escalate_at",
        Select: "opportunity_id AS OpportunityId, flag AS Flag, owner_id AS OwnerId, raised_at AS RaisedAt, level AS Level, escalate_at AS EscalateAt");

    public string InstanceId { get; } = LeaseClaim.NewClaimerId();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy = await EscalateAsync(stoppingToken) == options.Value.DispatchBatchSize;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(ex);
            }

            if (!busy)
            {
                await Task.Delay(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>One round; returns how many due risks it claimed.</summary>
    public async Task<int> EscalateAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = timeProvider.GetUtcNow();
        var claimed = await DueRisks.ClaimAsync<DueRisk>(dataSource, InstanceId, now, settings.ClaimLease, settings.DispatchBatchSize, cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }

        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var deals = await DirectoryDeals.ReadAsync(work, [.. claimed.Select(r => (r.OpportunityId, r.OwnerId))], cancellationToken);

        var next = claimed.Select(risk => BusinessHours.Add(new DateTimeOffset(risk.EscalateAt, TimeSpan.Zero), settings.EscalationBusinessHours,
            HoldTimes.Zone(deals.GetValueOrDefault(risk.OpportunityId.Trim())?.OwnerTimeZone), settings.BusinessDayStart, settings.BusinessDayEnd).UtcDateTime).ToArray();

        // Only the risks still ours and still raised (a clearing score deletes the row) escalate.
        var advanced = (await work.Connection.QueryAsync<(string OpportunityId, string Flag)>(new CommandDefinition(
            """
            UPDATE open_risks r SET level = r.level + 1, escalate_at = x.next_at, lease_until = NULL, claimed_by = NULL
            FROM unnest(@ids::char(18)[], @flags::text[], @nextAt::timestamptz[]) AS x(id, flag, next_at)
            WHERE r.opportunity_id = x.id AND r.flag = x.flag AND r.claimed_by = @InstanceId
            RETURNING r.opportunity_id, r.flag
            """,
            new { ids = claimed.Select(r => r.OpportunityId).ToArray(), flags = claimed.Select(r => r.Flag).ToArray(), nextAt = next, InstanceId },
            work.Transaction, cancellationToken: cancellationToken))).Select(r => (r.OpportunityId.Trim(), r.Flag)).ToHashSet();

        var signals = new List<RoutedSignal>();
        foreach (var risk in claimed.Where(r => r.OwnerId is not null && advanced.Contains((r.OpportunityId.Trim(), r.Flag))))
        {
            signals.Add(SignalRules.Escalation(risk.OpportunityId.Trim(), risk.Flag, risk.OwnerId!.Trim(), new DateTimeOffset(risk.RaisedAt, TimeSpan.Zero),
                risk.Level + 1, settings.EscalationBusinessHours, now, deals.GetValueOrDefault(risk.OpportunityId.Trim())?.Info));
        }

        var written = await router.RouteAsync(work, signals, cancellationToken);
        await work.CommitAsync(cancellationToken);
        if (written > 0)
        {
            wake.Dispatch.Notify();
        }

        return claimed.Count;
    }

    [LoggerMessage(LogLevel.Error, "Escalation round failed; retrying at the next poll")]
    private partial void LogRoundFailed(Exception exception);

    private sealed class DueRisk
    {
        public string OpportunityId { get; set; } = "";

        public string Flag { get; set; } = "";

        public string? OwnerId { get; set; }

        public DateTime RaisedAt { get; set; }

        public int Level { get; set; }

        public DateTime EscalateAt { get; set; }
    }
}
