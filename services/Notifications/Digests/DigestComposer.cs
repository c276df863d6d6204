using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PipelineCoach.Notifications.Deliveries;
using PipelineCoach.Notifications.Routing;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Notifications.Digests;

/// <summary>
/// Rolls held deliveries whose time has come (a digest slot, the end of quiet hours) into one digest per recipient
/// and channel, claimed like every ledger of the suite (<see cref="LeaseClaim"/>): the items move to <c>digested</c>
/// and the digest is queued in one transaction that checks the lease, so an item is in exactly one digest.
/// </summary>
internal sealed partial class DigestComposer(
    NpgsqlDataSource dataSource,
    UnitOfWorkFactory unitOfWork,
    DeliveryWake wake,
    DeliveryMetrics metrics,
    IOptions<NotificationsOptions> options,
    TimeProvider timeProvider,
    ILogger<DigestComposer> logger) : BackgroundService
{
    private static readonly CultureInfo Words = CultureInfo.GetCultureInfo("en-US");

    // Whole groups (recipient or destination, and channel) at a time, so one recipient's items make one digest even
    // when a batch would end in the middle of them.
    private static readonly LeaseClaim DueItems = new(
        Table: "deliveries",
        Key: "id",
        Due: """
            status = 'held' AND held_until <= @now
            AND (coalesce(recipient_id, ''), coalesce(target_id::text, ''), channel) IN (
                SELECT coalesce(recipient_id, ''), coalesce(target_id::text, ''), channel FROM deliveries
                WHERE status = 'held' AND held_until <= @now AND (lease_until IS NULL OR lease_until < @now)
                GROUP BY 1, 2, 3 ORDER BY min(held_until) LIMIT @groups)
            """,
        OrderBy: "held_until",
        Select: """
            id AS Id, channel AS Channel, recipient_id AS RecipientId, target_id AS TargetId, opportunity_id AS OpportunityId,
            rank AS Rank, notice::text AS Notice
            """);

    public string InstanceId { get; } = LeaseClaim.NewClaimerId();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy = await ComposeAsync(stoppingToken) == options.Value.DispatchBatchSize;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(ex);
            }

            if (!busy)
            {
                await wake.Digest.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>One round: up to a batch of recipients' due items, each recipient's into one digest; returns how many digests.</summary>
    public async Task<int> ComposeAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var claimed = await DueItems.ClaimAsync<HeldItem>(dataSource, InstanceId, now, options.Value.ClaimLease, int.MaxValue, cancellationToken,
            new { groups = options.Value.DispatchBatchSize });
        if (claimed.Count == 0)
        {
            return 0;
        }

        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var digests = claimed.GroupBy(i => (i.RecipientId, i.TargetId, i.Channel)).Select(g => (Key: g.Key, Id: Guid.CreateVersion7(), Items: g.ToList())).ToList();
        var taken = (await work.Connection.QueryAsync<Guid>(new CommandDefinition(
            """
            UPDATE deliveries d SET status = 'digested', digest_id = x.digest, lease_until = NULL, claimed_by = NULL
            FROM unnest(@ids::uuid[], @digestIds::uuid[]) AS x(id, digest)
            WHERE d.id = x.id AND d.claimed_by = @InstanceId AND d.status = 'held'
            RETURNING d.id
            """,
            new
            {
                ids = digests.SelectMany(d => d.Items.Select(i => i.Id)).ToArray(),
                digestIds = digests.SelectMany(d => d.Items.Select(_ => d.Id)).ToArray(),
                InstanceId,
            }, work.Transaction, cancellationToken: cancellationToken))).ToHashSet();

        var names = await NamesAsync(work, claimed, cancellationToken);
        var composed = 0;
        foreach (var (key, id, all) in digests)
        {
            var items = all.Where(i => taken.Contains(i.Id)).ToList();
            if (items.Count == 0)
            {
                continue;
            }

            var notice = Compose(id, key.RecipientId?.Trim() ?? key.TargetId?.ToString() ?? "", key.Channel, items, names, now);
            await work.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO deliveries (id, business_key, signal, channel, recipient_id, target_id, status, next_attempt_at, rank, notice, resolution, created_at)
                VALUES (@id, @businessKey, 'digest', @Channel, @RecipientId, @TargetId, 'queued', @now, @rank, @notice::jsonb, @resolution::jsonb, @now)
                """,
                new
                {
                    id,
                    businessKey = notice.BusinessKey,
                    key.Channel,
                    key.RecipientId,
                    key.TargetId,
                    now = now.UtcDateTime,
                    rank = items.Sum(i => i.Rank),
                    notice = JsonSerializer.Serialize(notice, NotificationsJson.Options),
                    resolution = JsonSerializer.Serialize(new Resolution
                    {
                        Why = $"digest of {items.Count} held item(s)",
                        Decision = "send now: the digest's time came",
                    }, NotificationsJson.Options),
                }, work.Transaction, cancellationToken: cancellationToken));
            composed++;
        }

        await work.CommitAsync(cancellationToken);
        metrics.Digests.Add(composed);
        if (composed > 0)
        {
            wake.Dispatch.Notify();
        }

        return digests.Count;
    }

    /// <summary>
    /// The digest: one section per opportunity, ordered by amount × risk, each line saying what changed; items about
    /// no deal (pipeline health, routines) last.
    /// </summary>
    internal static Notice Compose(Guid digestId, string who, string channel, IReadOnlyList<HeldItem> items,
        IReadOnlyDictionary<string, (string? Name, decimal? Amount)> names, DateTimeOffset now)
    {
        var notices = items.Select(i => (Item: i, Notice: JsonSerializer.Deserialize<Notice>(i.Notice, NotificationsJson.Options)!)).ToList();
        var sections = notices
            .GroupBy(n => n.Item.OpportunityId?.Trim() ?? "")
            .OrderBy(g => g.Key.Length == 0 ? 1 : 0).ThenByDescending(g => g.Max(n => n.Item.Rank)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var deal = g.Key.Length > 0 ? names.GetValueOrDefault(g.Key) : default;
                var name = g.Key.Length == 0 ? "Pipeline and routines" : deal.Name ?? g.First().Notice.OpportunityName ?? $"Opportunity {g.Key}";
                var amount = deal.Amount ?? g.First().Notice.Amount;
                return new NoticeSection
                {
                    Title = amount is { } value ? $"{name} — {value.ToString("C0", Words)}" : name,
                    OpportunityId = g.Key.Length == 0 ? null : g.Key,
                    Lines = [.. g.OrderBy(n => n.Notice.OccurredAt).SelectMany(n => Lines(n.Notice, g.Key, name, amount))],
                };
            }).ToList();
        var deals = sections.Count(s => s.OpportunityId is not null);
        return new Notice
        {
            Signal = Signals.Digest,
            BusinessKey = $"{Signals.Digest}:{who}:{channel}:{digestId:N}",
            Title = deals > 0
                ? $"Pipeline Coach digest: {items.Count} update{(items.Count == 1 ? "" : "s")} on {deals} deal{(deals == 1 ? "" : "s")}"
                : $"Pipeline Coach digest: {items.Count} update{(items.Count == 1 ? "" : "s")}",
            Summary = "What happened while you were not being interrupted, most valuable deals at risk first.",
            OccurredAt = now,
            Sections = sections,
        };
    }

    private static IEnumerable<NoticeLine> Lines(Notice notice, string opportunityId, string name, decimal? amount)
    {
        var details = notice.Sections.FirstOrDefault()?.Lines.Select(l => l.Text).ToList() ?? [];
        var text = details.Count > 0 ? $"{notice.Title} — {string.Join("; ", details.Take(3))}" : notice.Title;
        yield return new NoticeLine { Text = text, OpportunityId = opportunityId.Length > 0 ? opportunityId : null, OpportunityName = name, Amount = amount };
    }

    private static async Task<Dictionary<string, (string? Name, decimal? Amount)>> NamesAsync(UnitOfWork work, List<HeldItem> items, CancellationToken cancellationToken)
    {
        var ids = items.Select(i => i.OpportunityId).OfType<string>().Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        return (await work.Connection.QueryAsync<(string Id, string? Name, decimal? Amount)>(new CommandDefinition(
            "SELECT opportunity_id, name, amount FROM opportunities WHERE opportunity_id = ANY(@ids)", new { ids }, work.Transaction, cancellationToken: cancellationToken)))
            .ToDictionary(d => d.Id.Trim(), d => (d.Name, d.Amount));
    }

    [LoggerMessage(LogLevel.Error, "Digest round failed; retrying at the next poll")]
    private partial void LogRoundFailed(Exception exception);

    internal sealed class HeldItem
    {
        public Guid Id { get; set; }

        public string Channel { get; set; } = "";

        public string? RecipientId { get; set; }

        public Guid? TargetId { get; set; }

        public string? OpportunityId { get; set; }

        public decimal Rank { get; set; }

        public string Notice { get; set; } = "";
    }
}
