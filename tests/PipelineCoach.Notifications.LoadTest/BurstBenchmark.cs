using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.Notifications.Deliveries;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.LoadTest;

/// <summary>
/// N risk signals at once for R recipients with varied preferences, on a fake clock standing at
/// <see cref="TestClock.Now"/>: route them, send what goes now, then move the clock to each time a held item is due
/// (digest slots, the end of quiet hours) until nothing is held or queued. Then checks that no recipient got more
/// immediate deliveries on their local day than their budget, that every signal has its deliveries, every held one
/// ended in a digest and every digest was sent.
/// </summary>
internal static class BurstBenchmark
{
    public static async Task<bool> RunAsync(Options options, Dictionary<string, string?> settings)
    {
        var org = new Org(options.Recipients, options.RepsPerManager, options.ManagersPerDirector, options.Count);
        var clock = TestClock.Start();
        var counting = new CountingEmailSender();
        var services = TestClock.Replace(clock) + await CountingEmailSender.UseAsync(options.Email, settings, counting);
        await using var host = await ServiceHost<Program>.StartAsync("notifications_burst", settings, services);
        await Seeding.DirectoryAsync(host, org, TestClock.Now, options.Timeout);
        var budgets = await Preferences.WriteAsync(host.DatabaseConnectionString, org.Reps);
        await using var db = new NpgsqlConnection(host.DatabaseConnectionString);
        await db.OpenAsync();
        Console.WriteLine($"# burst: {options.Count:N0} new risks at once for {org.Reps:N0} recipients ({options.Count / (double)org.Reps:F0} each), clock at {TestClock.Now:O}; load average {MachineLoad.LoadAverage}");

        var risks = Enumerable.Range(0, options.Count).Select(n => BrokerPublisher.Envelope(org.Risk(n, TestClock.Now))).ToList();
        var rabbitMq = (await TestServers.RabbitMqAsync()).Uri;
        var cpu = MachineLoad.Now();
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(options.Timeout.TotalSeconds * Stopwatch.Frequency);
        await BrokerPublisher.PublishAsync<OpportunityScored>(rabbitMq, risks);
        var published = Stopwatch.GetElapsedTime(start);
        await WaitAsync(db, "SELECT count(*) FROM signals", n => n >= options.Count, deadline);
        var routed = Stopwatch.GetElapsedTime(start);
        await WaitAsync(db, "SELECT count(*) FROM deliveries WHERE status = 'queued'", n => n == 0, deadline);
        var immediateSent = Stopwatch.GetElapsedTime(start);
        var held = (await db.QueryAsync<(string Reason, long Count)>(
            "SELECT hold_reason, count(*) FROM deliveries WHERE hold_reason IS NOT NULL GROUP BY 1 ORDER BY 1")).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  routed in {routed.TotalSeconds:F1} s (published in {published.TotalSeconds:F1} s), immediate ones sent by {immediateSent.TotalSeconds:F1} s; held: {string.Join(", ", held.Select(h => $"{h.Reason} {h.Count:N0}"))}"));

        // Every time something held comes due, in order: the composer rolls it into digests, the dispatcher sends them.
        var wake = host.Services.GetRequiredService<DeliveryWake>();
        var digestPhase = Stopwatch.GetTimestamp();
        var steps = 0;
        while (await db.ExecuteScalarAsync<DateTime?>("SELECT min(held_until) FROM deliveries WHERE status = 'held'") is { } next && Stopwatch.GetTimestamp() < deadline)
        {
            var due = new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc));
            if (due > clock.GetUtcNow())
            {
                clock.Advance(due - clock.GetUtcNow());
            }

            wake.Digest.Notify();
            wake.Dispatch.Notify();
            steps++;
            await WaitAsync(db,
                "SELECT count(*) FROM deliveries WHERE (status = 'held' AND held_until <= @now) OR (status = 'queued' AND next_attempt_at <= @now)",
                n => n == 0, deadline, new { now = clock.GetUtcNow().UtcDateTime });
        }

        var digestsSent = Stopwatch.GetElapsedTime(digestPhase);
        var total = Stopwatch.GetElapsedTime(start);
        var used = MachineLoad.Now() - cpu;
        var simulated = clock.GetUtcNow() - TestClock.Now;

        var budget = await db.QuerySingleAsync<(long RecipientDays, long Over, int WorstExcess, long AtBudget, long UsageMismatches)>(
            """
            WITH immediate AS (
                SELECT d.recipient_id, (d.created_at AT TIME ZONE coalesce(p.time_zone, r.time_zone, 'UTC'))::date AS day, count(*) AS n,
                       coalesce(p.daily_budget, @defaultBudget) AS budget
                FROM deliveries d JOIN recipients r ON r.user_id = d.recipient_id LEFT JOIN recipient_preferences p ON p.user_id = d.recipient_id
                WHERE d.signal <> 'digest' AND d.hold_reason IS NULL
                GROUP BY 1, 2, 4)
            SELECT count(*), count(*) FILTER (WHERE n > budget), coalesce(max(n - budget), 0)::int, count(*) FILTER (WHERE n = budget),
                (SELECT count(*) FROM immediate i FULL JOIN budget_usage u ON u.recipient_id = i.recipient_id AND u.local_day = i.day
                 WHERE u.used IS DISTINCT FROM i.n AND coalesce(u.used, 0) + coalesce(i.n, 0) > 0)
            FROM immediate
            """, new { defaultBudget = Preferences.DefaultBudget });
        var log = await db.QuerySingleAsync<(long Signals, long WithoutDelivery, long Items, long Immediate, long Held, long Digested, long Digests, long DigestsSent, long Left, long Orphans, long Escalations)>(
            """
            SELECT (SELECT count(*) FROM signals),
                (SELECT count(*) FROM signals s WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.business_key = s.business_key)),
                count(*) FILTER (WHERE signal <> 'digest'),
                count(*) FILTER (WHERE signal <> 'digest' AND hold_reason IS NULL AND status = 'sent'),
                count(*) FILTER (WHERE hold_reason IS NOT NULL),
                count(*) FILTER (WHERE hold_reason IS NOT NULL AND status = 'digested'),
                count(*) FILTER (WHERE signal = 'digest'),
                count(*) FILTER (WHERE signal = 'digest' AND status = 'sent'),
                count(*) FILTER (WHERE status IN ('queued', 'held', 'failed')),
                (SELECT count(*) FROM deliveries i WHERE i.status = 'digested'
                    AND NOT EXISTS (SELECT 1 FROM deliveries g WHERE g.id = i.digest_id AND g.signal = 'digest' AND g.status = 'sent')),
                count(*) FILTER (WHERE signal = 'escalation')
            FROM deliveries
            """);
        var digestSizes = await db.QuerySingleAsync<(double Average, long Max, long Recipients)>(
            "SELECT coalesce(avg(n), 0)::float8, coalesce(max(n), 0), count(DISTINCT recipient_id) FROM (SELECT digest_id, min(recipient_id) AS recipient_id, count(*) AS n FROM deliveries WHERE status = 'digested' GROUP BY digest_id) g");

        var ok = log.Signals == options.Count && log.WithoutDelivery == 0 && log.Digested == log.Held && log.DigestsSent == log.Digests
            && log.Left == 0 && log.Orphans == 0 && budget.Over == 0 && budget.UsageMismatches == 0;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"first publish → everything sent      {total.TotalSeconds:F1} s: routed {routed.TotalSeconds:F1} s ({log.Signals / routed.TotalSeconds:N0} signals/s), immediate sends done {immediateSent.TotalSeconds:F1} s, "
            + $"digests {digestsSent.TotalSeconds:F1} s over {steps} clock steps ({simulated.TotalHours:F1} h of service time)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"signals                              {log.Signals:N0} of {options.Count:N0}; without a delivery {log.WithoutDelivery}; {log.Items:N0} item deliveries: {log.Immediate:N0} sent at once, {log.Held:N0} held ({string.Join(", ", held.Select(h => $"{h.Reason} {h.Count:N0}"))})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"digests                              {log.Digests:N0} composed, {log.DigestsSent:N0} sent, to {digestSizes.Recipients:N0} recipients; {log.Digested:N0} of {log.Held:N0} held items digested "
            + $"({digestSizes.Average:F1} a digest, at most {digestSizes.Max}); items in no sent digest {log.Orphans}; queued/held/failed left {log.Left}; escalations {log.Escalations}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"budgets (deliveries)                 {budget.RecipientDays:N0} recipient-days with immediate deliveries, {budget.Over} over budget (worst excess {budget.WorstExcess}), {budget.AtBudget:N0} exactly at it; budget_usage disagreeing {budget.UsageMismatches}"));
        if (options.Email != "maildev")
        {
            var over = counting.ImmediateByRecipient.Count(r => r.Value > budgets.GetValueOrDefault(r.Key, Preferences.DefaultBudget));
            var twice = counting.Sends.Count(s => s.Value > 1);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"received (counting email sender)     {counting.Sends.Count:N0} deliveries ({counting.Digests:N0} digests), sent twice {twice}; recipients over budget {over} (max {counting.ImmediateByRecipient.Values.DefaultIfEmpty().Max()} immediate)"));
            ok &= over == 0 && twice == 0 && counting.Sends.Count == log.Immediate + log.Digests;
        }

        Console.WriteLine($"CPU                                  {used.Describe(total)}; load average at the end {MachineLoad.LoadAverage}");
        Console.WriteLine(ok ? "RESULT                               nothing lost, nothing over budget, every held item in a sent digest" : "RESULT                               FAILED (see above)");
        return ok;
    }

    private static async Task WaitAsync(NpgsqlConnection db, string count, Func<long, bool> done, long deadline, object? parameters = null)
    {
        while (!done(await db.ExecuteScalarAsync<long>(count, parameters)))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Timed out waiting on: {count}");
            }

            await Task.Delay(20);
        }
    }
}
