using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using NpgsqlTypes;
using PipelineCoach.Notifications.Channels;
using PipelineCoach.Notifications.Deliveries;
using PipelineCoach.Notifications.Preferences;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Notifications.Routing;

/// <summary>
/// Turns signals into deliveries inside the caller's transaction: the business key is claimed first (a key seen
/// before, by any instance, routes nothing), then each signal is resolved to people (rules, then subscribers), chat
/// destinations and webhook endpoints; each person's preferences, quiet hours and budget decide "send now" or "hold
/// for a digest". Budgets are spent with row locks in recipient order, so concurrent batches never overspend or
/// deadlock. Everything decided is written as a delivery with its resolution, held ones included: nothing is dropped.
/// </summary>
internal sealed partial class SignalRouter(PreferenceStore preferences, DeliveryMetrics metrics, IOptions<NotificationsOptions> options, TimeProvider timeProvider,
    ILogger<SignalRouter> logger)
{
    /// <summary>Routes the signals; returns how many deliveries were written (0 when every key was seen before).</summary>
    public async Task<int> RouteAsync(UnitOfWork work, IReadOnlyList<RoutedSignal> candidates, CancellationToken cancellationToken)
    {
        if (candidates.Count == 0)
        {
            return 0;
        }

        var now = timeProvider.GetUtcNow();
        var settings = options.Value;
        var fresh = (await ClaimKeysAsync(work, candidates, now, cancellationToken))
            .Select(s => s with { Notice = s.Notice with { IsCritical = settings.IsCritical(s.Signal) } }).ToList();
        if (fresh.Count == 0)
        {
            return 0;
        }

        var subscriptions = await SubscriptionsAsync(work, fresh, cancellationToken);
        var people = await Person.WithManagersAsync(work.Connection, work.Transaction,
            fresh.SelectMany(s => s.Audience.Select(a => a.UserId)).Concat(fresh.Select(s => s.TeamMemberId).OfType<string>())
                .Concat(subscriptions.Select(s => s.SubscriberId.Trim())), cancellationToken);
        var destinations = (await work.Connection.QueryAsync<Destination>(new CommandDefinition(
            "SELECT id AS Id, type AS Type, manager_id AS ManagerId, signals AS Signals FROM chat_destinations ORDER BY id",
            transaction: work.Transaction, cancellationToken: cancellationToken))).AsList();
        var endpoints = (await work.Connection.QueryAsync<Destination>(new CommandDefinition(
            "SELECT id AS Id, 'webhook' AS Type, signals AS Signals FROM webhook_endpoints WHERE is_enabled ORDER BY id",
            transaction: work.Transaction, cancellationToken: cancellationToken))).AsList();

        var plans = new List<PersonPlan>();
        var rows = new List<DeliveryRow>();
        foreach (var signal in fresh)
        {
            var chain = signal.TeamMemberId is { } member ? Person.Chain(member, people) : [];
            var chosen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var rule in signal.Audience)
            {
                var target = Person.Chain(rule.UserId, people);
                if (rule.ManagerLevel < target.Count)
                {
                    chosen.TryAdd(target[rule.ManagerLevel], rule.Why);
                }
                else
                {
                    LogNoManager(rule.UserId, rule.ManagerLevel, signal.BusinessKey);
                }
            }

            foreach (var subscription in subscriptions)
            {
                if (subscription.Signal == signal.Signal && (subscription.ManagerId is null || chain.Contains(subscription.ManagerId.Trim())))
                {
                    chosen.TryAdd(subscription.SubscriberId.Trim(), subscription.ManagerId is null ? "subscriber (whole org)" : $"subscriber (team of {subscription.ManagerId.Trim()})");
                }
            }

            var posted = new HashSet<Guid>();
            foreach (var destination in destinations.Where(d => d.Signals.Contains(signal.Signal) && (d.ManagerId is null || chain.Contains(d.ManagerId.Trim()))))
            {
                posted.Add(destination.Id);
                var at = signal.IsBulk ? HoldTimes.NextDigest(RecipientPreferences.Default with { Digest = DigestModes.Hourly }, TimeZoneInfo.Utc, now, settings) : (DateTimeOffset?)null;
                rows.Add(DeliveryRow.For(signal, destination.Type, null, destination.Id, now, signal.IsBulk ? DeliveryDecision.BulkHold : null, at, new Resolution
                {
                    Why = destination.ManagerId is null ? "chat destination (whole org)" : $"chat destination (team of {destination.ManagerId.Trim()})",
                    Chain = chain,
                    Decision = signal.IsBulk ? $"held: bulk work ({signal.Cause}) goes to the channel's hourly digest" : "send now",
                }));
            }

            foreach (var endpoint in endpoints.Where(e => e.Signals.Contains(signal.Signal)))
            {
                rows.Add(DeliveryRow.For(signal, ChannelNames.Webhook, null, endpoint.Id, now, null, null,
                    new Resolution { Why = "webhook endpoint subscribed to the signal", Chain = chain, Decision = "send now" }));
            }

            foreach (var (userId, why) in chosen)
            {
                people.TryGetValue(userId, out var person);
                if (person is { IsActive: false })
                {
                    LogInactive(userId, signal.BusinessKey);
                    continue;
                }

                plans.Add(new PersonPlan(signal, userId, person, why, chain, posted));
            }
        }

        var preferencesByUser = await preferences.GetManyAsync([.. plans.Select(p => p.UserId).Distinct()], cancellationToken);
        foreach (var plan in plans)
        {
            plan.Preferences = preferencesByUser.GetValueOrDefault(plan.UserId) ?? RecipientPreferences.Default;
            plan.Zone = HoldTimes.Zone(plan.Preferences.TimeZone ?? plan.Person?.TimeZone);
            plan.Decision = DeliveryDecision.For(plan.Signal, plan.Preferences, plan.Zone, now, plan.Signal.Notice.IsCritical, settings);
        }

        await SpendBudgetsAsync(work, plans, now, settings, cancellationToken);
        foreach (var plan in plans)
        {
            rows.AddRange(PersonRows(plan, destinations, people, now));
        }

        await InsertAsync(work, rows, cancellationToken);
        metrics.Routed.Add(rows.Count);
        return rows.Count;
    }

    private static async Task<List<RoutedSignal>> ClaimKeysAsync(UnitOfWork work, IReadOnlyList<RoutedSignal> candidates, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var unique = candidates.GroupBy(s => s.BusinessKey, StringComparer.Ordinal).Select(g => g.First()).OrderBy(s => s.BusinessKey, StringComparer.Ordinal).ToList();
        var claimed = (await work.Connection.QueryAsync<string>(new CommandDefinition(
            """
            INSERT INTO signals (business_key, signal, subject_id, opportunity_id, cause, occurred_at, routed_at)
            SELECT k, s, sub, o, c, at, @now FROM unnest(@keys::text[], @signals::text[], @subjects::text[], @opportunities::char(18)[],
                @causes::text[], @occurred::timestamptz[]) AS x(k, s, sub, o, c, at)
            ON CONFLICT (business_key) DO NOTHING
            RETURNING business_key
            """,
            new
            {
                now = now.UtcDateTime,
                keys = unique.Select(s => s.BusinessKey).ToArray(),
                signals = unique.Select(s => s.Signal).ToArray(),
                subjects = unique.Select(s => s.SubjectId).ToArray(),
                opportunities = unique.Select(s => s.OpportunityId).ToArray(),
                causes = unique.Select(s => s.Cause).ToArray(),
                occurred = unique.Select(s => s.OccurredAt.UtcDateTime).ToArray(),
            },
            work.Transaction, cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
        return [.. unique.Where(s => claimed.Contains(s.BusinessKey))];
    }

    private static async Task<List<Subscription>> SubscriptionsAsync(UnitOfWork work, List<RoutedSignal> signals, CancellationToken cancellationToken) =>
        (await work.Connection.QueryAsync<Subscription>(new CommandDefinition(
            "SELECT subscriber_id AS SubscriberId, signal AS Signal, manager_id AS ManagerId FROM subscriptions WHERE signal = ANY(@signals) ORDER BY created_at, id",
            new { signals = signals.Select(s => s.Signal).Distinct().ToArray() }, work.Transaction, cancellationToken: cancellationToken))).AsList();

    /// <summary>
    /// Spends one interruption per (signal, person) that would send now, critical ones included: the rows of the
    /// people concerned are locked in id order, each gets what is left of their budget, the rest are held for the
    /// digest. Critical signals still go when the budget is spent.
    /// </summary>
    private static async Task SpendBudgetsAsync(UnitOfWork work, List<PersonPlan> plans, DateTimeOffset now, NotificationsOptions settings, CancellationToken cancellationToken)
    {
        var wanting = plans.Where(p => !p.Decision!.IsHeld).ToList();
        if (wanting.Count == 0)
        {
            return;
        }

        var keys = wanting.Select(p => (p.UserId, Day: HoldTimes.LocalDay(p.Zone!, now))).Distinct().OrderBy(k => k.UserId, StringComparer.Ordinal).ThenBy(k => k.Day).ToList();
        var users = keys.Select(k => k.UserId).ToArray();
        var days = keys.Select(k => k.Day).ToArray();
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO budget_usage (recipient_id, local_day, used)
            SELECT u, d, 0 FROM unnest(@users::char(18)[], @days::date[]) AS x(u, d) ORDER BY u, d
            ON CONFLICT DO NOTHING
            """, new { users, days }, work.Transaction, cancellationToken: cancellationToken));
        var used = (await work.Connection.QueryAsync<(string UserId, DateTime Day, int Used)>(new CommandDefinition(
            """
            SELECT b.recipient_id, b.local_day, b.used FROM budget_usage b
            JOIN unnest(@users::char(18)[], @days::date[]) AS x(u, d) ON b.recipient_id = x.u AND b.local_day = x.d
            ORDER BY b.recipient_id, b.local_day FOR UPDATE OF b
            """, new { users, days }, work.Transaction, cancellationToken: cancellationToken)))
            .ToDictionary(r => (r.UserId.Trim(), DateOnly.FromDateTime(r.Day)), r => r.Used);

        foreach (var plan in wanting)
        {
            var key = (plan.UserId, HoldTimes.LocalDay(plan.Zone!, now));
            var spent = used.GetValueOrDefault(key);
            if (spent < plan.Preferences!.DailyInterruptionBudget || plan.Signal.Notice.IsCritical)
            {
                used[key] = spent + 1;
            }
            else
            {
                plan.Decision = DeliveryDecision.OverBudget(plan.Preferences, plan.Zone!, now, settings);
            }
        }

        var changed = used.ToList();
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE budget_usage b SET used = x.n
            FROM unnest(@users::char(18)[], @days::date[], @counts::int[]) AS x(u, d, n)
            WHERE b.recipient_id = x.u AND b.local_day = x.d
            """,
            new { users = changed.Select(c => c.Key.Item1).ToArray(), days = changed.Select(c => c.Key.Item2).ToArray(), counts = changed.Select(c => c.Value).ToArray() },
            work.Transaction, cancellationToken: cancellationToken));
    }

    private IEnumerable<DeliveryRow> PersonRows(PersonPlan plan, List<Destination> destinations, Dictionary<string, Person> people, DateTimeOffset now)
    {
        var decision = plan.Decision!;
        var resolution = new Resolution { Why = plan.Why, Chain = plan.Chain, Decision = decision.Words, TimeZone = plan.Zone!.Id };
        var emailed = false;
        foreach (var preferred in plan.Preferences!.ChannelsFor(plan.Signal.Signal).Distinct())
        {
            // A Salesforce Task is a to-do, not an interruption: it goes now and is never held (a digest cannot be a
            // task). Bulk work creates none (a task per deal of an initial load would flood Salesforce): email digest.
            var channel = preferred == ChannelNames.SalesforceTask && plan.Signal.IsBulk ? ChannelNames.Email : preferred;
            if (channel == ChannelNames.SalesforceTask)
            {
                yield return DeliveryRow.For(plan.Signal, channel, plan.UserId, null, now, null, null,
                    resolution with { Decision = "send now: a task is not an interruption" });
                continue;
            }

            if (channel is ChannelNames.Slack or ChannelNames.Teams)
            {
                // A person's chat channel is their team's destination of that type (nearest manager first, then the org).
                var scope = Person.Chain(plan.UserId, people);
                var destination = destinations.Where(d => d.Type == channel && (d.ManagerId is null || scope.Contains(d.ManagerId.Trim())))
                    .OrderBy(d => d.ManagerId is null ? int.MaxValue : scope.IndexOf(d.ManagerId.Trim())).FirstOrDefault();
                if (destination is null)
                {
                    if (!emailed)
                    {
                        emailed = true;
                        yield return DeliveryRow.For(plan.Signal, ChannelNames.Email, plan.UserId, null, now, decision.HoldReason, decision.HeldUntil,
                            resolution with { Decision = $"{decision.Words}; by email: no {channel} destination for this recipient's team" });
                    }

                    continue;
                }

                if (plan.Posted.Add(destination.Id))
                {
                    yield return DeliveryRow.For(plan.Signal, channel, plan.UserId, destination.Id, now, decision.HoldReason, decision.HeldUntil, resolution);
                }

                continue;
            }

            if (channel == ChannelNames.Email)
            {
                if (emailed)
                {
                    continue;
                }

                emailed = true;
            }

            yield return DeliveryRow.For(plan.Signal, channel, plan.UserId, null, now, decision.HoldReason, decision.HeldUntil, resolution);
        }
    }

    private static async Task InsertAsync(UnitOfWork work, List<DeliveryRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var copy = await work.Connection.BeginBinaryImportAsync(
            """
            COPY deliveries (id, business_key, signal, channel, recipient_id, target_id, opportunity_id, status, hold_reason, held_until,
                             next_attempt_at, rank, notice, resolution, created_at) FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(row.Id, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(row.Signal.BusinessKey, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.Signal.Signal, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.Channel, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteNullableAsync(row.RecipientId, NpgsqlDbType.Char, cancellationToken);
            await copy.WriteNullableAsync(row.TargetId, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteNullableAsync(row.Signal.OpportunityId, NpgsqlDbType.Char, cancellationToken);
            await copy.WriteAsync(row.HoldReason is null ? "queued" : "held", NpgsqlDbType.Text, cancellationToken);
            await copy.WriteNullableAsync(row.HoldReason, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteNullableAsync(row.HeldUntil?.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteNullableAsync(row.HoldReason is null ? row.CreatedAt.UtcDateTime : (DateTime?)null, NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(row.Signal.Rank, NpgsqlDbType.Numeric, cancellationToken);
            await copy.WriteAsync(JsonSerializer.Serialize(row.Signal.Notice, NotificationsJson.Options), NpgsqlDbType.Jsonb, cancellationToken);
            await copy.WriteAsync(JsonSerializer.Serialize(row.Resolution, NotificationsJson.Options), NpgsqlDbType.Jsonb, cancellationToken);
            await copy.WriteAsync(row.CreatedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "No manager {Level} level(s) above {UserId} for {BusinessKey}: that rule reaches nobody")]
    private partial void LogNoManager(string userId, int level, string businessKey);

    [LoggerMessage(LogLevel.Information, "Recipient {UserId} is inactive: nothing sent for {BusinessKey}")]
    private partial void LogInactive(string userId, string businessKey);

    private sealed class Subscription
    {
        public string SubscriberId { get; set; } = "";

        public string Signal { get; set; } = "";

        public string? ManagerId { get; set; }
    }

    private sealed class Destination
    {
        public Guid Id { get; set; }

        public string Type { get; set; } = "";

        public string? ManagerId { get; set; }

        public string[] Signals { get; set; } = [];
    }

    private sealed class PersonPlan(RoutedSignal signal, string userId, Person? person, string why, List<string> chain, HashSet<Guid> posted)
    {
        public RoutedSignal Signal { get; } = signal;

        public string UserId { get; } = userId;

        public Person? Person { get; } = person;

        public string Why { get; } = why;

        public List<string> Chain { get; } = chain;

        /// <summary>Chat destinations this signal already posts to: a person's chat preference does not post twice.</summary>
        public HashSet<Guid> Posted { get; } = posted;

        public RecipientPreferences? Preferences { get; set; }

        public TimeZoneInfo? Zone { get; set; }

        public DeliveryDecision? Decision { get; set; }
    }

    private sealed record DeliveryRow(Guid Id, RoutedSignal Signal, string Channel, string? RecipientId, Guid? TargetId, DateTimeOffset CreatedAt,
        string? HoldReason, DateTimeOffset? HeldUntil, Resolution Resolution)
    {
        public static DeliveryRow For(RoutedSignal signal, string channel, string? recipientId, Guid? targetId, DateTimeOffset now,
            string? holdReason, DateTimeOffset? heldUntil, Resolution resolution) =>
            new(Guid.CreateVersion7(), signal, channel, recipientId, targetId, now, holdReason, heldUntil, resolution);
    }
}
