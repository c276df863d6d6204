using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.LoadTest;

/// <summary>
/// N new risks (OpportunityScored with a newly raised flag, cause "change", each a different deal) published at once to
/// one instance on the real clock: timed from the first publish until all N signals are decided and logged (rows in
/// <c>signals</c>, their deliveries written in the same transactions). The dispatcher runs meanwhile and sends to the
/// chosen email channel; its send rate is reported apart.
/// </summary>
internal static class RouteBenchmark
{
    public static async Task<bool> RunAsync(Options options, Dictionary<string, string?> settings)
    {
        var org = new Org(options.Recipients, options.RepsPerManager, options.ManagersPerDirector, options.Count);
        var counting = new CountingEmailSender();
        var email = await CountingEmailSender.UseAsync(options.Email, settings, counting);
        await using var host = await ServiceHost<Program>.StartAsync("notifications_load", settings, email);
        var notifications = host.Services.GetRequiredService<IOptions<NotificationsOptions>>().Value;
        var now = DateTimeOffset.UtcNow;
        await Seeding.DirectoryAsync(host, org, now, options.Timeout);
        if (options.DirectorSubscriptions)
        {
            await Seeding.DirectorSubscriptionsAsync(host, org);
        }

        Console.WriteLine($"# route: {options.Count:N0} new risks (cause change, one flag newly raised, {options.Count / (double)org.Reps:F0} per rep); "
            + $"consumer batch {notifications.ConsumerBatchSize} messages × {notifications.ConsumerConcurrency} concurrent, time limit {notifications.ConsumerBatchTimeLimit.TotalMilliseconds:F0} ms; "
            + $"dispatcher {notifications.DispatchBatchSize} a round, {notifications.SendConcurrency} sends in flight; load average {MachineLoad.LoadAverage}");

        await using var db = new NpgsqlConnection(host.DatabaseConnectionString);
        await db.OpenAsync();
        var risks = Enumerable.Range(0, options.Count).Select(n => BrokerPublisher.Envelope(org.Risk(n, DateTimeOffset.UtcNow))).ToList();
        var rabbitMq = (await TestServers.RabbitMqAsync()).Uri;
        var cpu = MachineLoad.Now();
        var start = Stopwatch.GetTimestamp();
        var publishing = BrokerPublisher.PublishAsync<OpportunityScored>(rabbitMq, risks);
        var deadline = start + (long)(options.Timeout.TotalSeconds * Stopwatch.Frequency);
        var nextReport = start + 5 * Stopwatch.Frequency;
        TimeSpan? published = null;
        long signals = 0;
        while (signals < options.Count && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20);
            if (published is null && publishing.IsCompleted)
            {
                await publishing;
                published = Stopwatch.GetElapsedTime(start);
            }

            signals = await db.ExecuteScalarAsync<long>("SELECT count(*) FROM signals");
            if (Stopwatch.GetTimestamp() >= nextReport)
            {
                nextReport += 5 * Stopwatch.Frequency;
                var sent = await db.ExecuteScalarAsync<long>("SELECT count(*) FROM deliveries WHERE status = 'sent'");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Stopwatch.GetElapsedTime(start).TotalSeconds,5:F1} s: {signals:N0} signals routed, {sent:N0} deliveries sent"));
            }
        }

        var routed = Stopwatch.GetElapsedTime(start);
        var used = MachineLoad.Now() - cpu;
        var loadAtEnd = MachineLoad.LoadAverage;
        await publishing;
        published ??= routed;
        var complete = signals == options.Count;

        var log = await db.QuerySingleAsync<(long Signals, long Transactions, long Deliveries, long Queued, long Held, long Owners, long WithoutDelivery)>(
            """
            SELECT (SELECT count(*) FROM signals), (SELECT count(DISTINCT routed_at) FROM signals),
                count(*), count(*) FILTER (WHERE hold_reason IS NULL), count(*) FILTER (WHERE hold_reason IS NOT NULL),
                count(*) FILTER (WHERE resolution ->> 'why' = 'owner of the opportunity'),
                (SELECT count(*) FROM signals s WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.business_key = s.business_key))
            FROM deliveries
            """);
        var holds = (await db.QueryAsync<(string Reason, long Count)>(
            "SELECT hold_reason, count(*) FROM deliveries WHERE hold_reason IS NOT NULL GROUP BY 1 ORDER BY 1")).ToList();

        // The dispatcher goes on sending what was queued; wait for it (the routing figure above does not include this).
        var sendDeadline = Stopwatch.GetTimestamp() + (long)(options.Timeout.TotalSeconds * Stopwatch.Frequency);
        (long Queued, long Sent, long Failed) sends;
        while (true)
        {
            sends = await db.QuerySingleAsync<(long, long, long)>(
                "SELECT count(*) FILTER (WHERE status = 'queued'), count(*) FILTER (WHERE status = 'sent'), count(*) FILTER (WHERE status = 'failed') FROM deliveries");
            if (sends.Queued == 0 || Stopwatch.GetTimestamp() > sendDeadline)
            {
                break;
            }

            await Task.Delay(100);
        }

        var allSent = Stopwatch.GetElapsedTime(start);
        var sentDuringRouting = await db.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM deliveries WHERE status = 'sent' AND sent_at <= (SELECT max(routed_at) FROM signals)");
        var sendSpan = await db.ExecuteScalarAsync<double?>("SELECT extract(epoch FROM max(sent_at) - min(sent_at))::float8 FROM deliveries WHERE status = 'sent'") ?? 0;

        var ok = complete && log.Signals == options.Count && log.Owners == options.Count && log.WithoutDelivery == 0 && sends.Queued == 0 && sends.Failed == 0;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"first publish → all decided and logged  {(complete ? "" : "NOT COMPLETE after ")}{routed.TotalSeconds:F2} s: {log.Signals / routed.TotalSeconds:N0} signals/s, {log.Deliveries / routed.TotalSeconds:N0} deliveries/s (target ≥ 2,000 signals/s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"published                               {options.Count:N0} OpportunityScored in {published.Value.TotalSeconds:F2} s ({options.Count / published.Value.TotalSeconds:N0}/s, {BrokerPublisher.InFlight} in flight, confirmed)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"log                                     {log.Signals:N0} signals in {log.Transactions:N0} routing transactions ({log.Signals / (double)Math.Max(1, log.Transactions):F1} a batch); "
            + $"{log.Deliveries:N0} deliveries ({log.Owners:N0} to owners), {log.Queued:N0} to send now, {log.Held:N0} held ({string.Join(", ", holds.Select(h => $"{h.Reason} {h.Count:N0}"))}); signals without a delivery {log.WithoutDelivery}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dispatcher ({options.Email,-7})                    {sentDuringRouting:N0} sent while routing; all {sends.Sent:N0} sent {allSent.TotalSeconds:F1} s after the first publish "
            + $"({sends.Sent / Math.Max(0.001, sendSpan):N0}/s from first to last send); {sends.Queued:N0} still queued, {sends.Failed:N0} failed"));
        if (options.Email != "maildev")
        {
            Console.WriteLine($"counting sender                         {counting.Sends.Count:N0} deliveries, sent twice: {counting.Sends.Count(s => s.Value > 1)}");
            ok &= counting.Sends.All(s => s.Value == 1);
        }

        Console.WriteLine($"CPU while routing                       {used.Describe(routed)}; load average at the end {loadAtEnd}");
        Console.WriteLine(ok ? "RESULT                                  every signal decided and logged once, every queued delivery sent" : "RESULT                                  FAILED (see above)");
        return ok;
    }
}
