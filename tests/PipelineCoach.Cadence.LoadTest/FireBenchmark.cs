using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.Cadence.Agendas;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.LoadTest;

/// <summary>
/// N occurrences due at the same instant, fired by several Cadence instances on one database (each its own claimer and
/// outbox dispatchers, on the real clock), timed from the instant they are due until the last one reached a queue bound
/// to the <c>CadenceOccurrenceDue</c> exchange; then the broker's tally and the ledger are checked.
/// </summary>
internal static class FireBenchmark
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<bool> RunAsync(Options options, Dictionary<string, string?> settings, LedgerMeters meters)
    {
        var teamSize = options.RepsPerManager;
        var managers = (options.Count + teamSize) / (teamSize + 1);
        var org = new Org(managers, teamSize, options.OpportunitiesPerRep, SeedZones.All);
        var repCadences = options.Count - managers;
        Console.WriteLine($"# fire: {options.Count:N0} occurrences due at one instant = {managers:N0} team huddles (manager + {teamSize} reps, resolved at fire time) "
            + $"+ {repCadences:N0} reps' own daily huddles; {org.Reps * org.OpportunitiesPerRep:N0} open opportunities; "
            + $"{options.Instances} instances; ledger also holds {options.PastDays} past and {options.FutureDays} future slot(s) per cadence");

        var rabbitMq = await TestServers.RabbitMqAsync();
        await using var counter = await BrokerCounter.StartAsync(rabbitMq.Uri);
        var hosts = new List<ServiceHost<Program>> { await ServiceHost<Program>.StartAsync("cadence_load", settings) };
        try
        {
            var database = hosts[0].DatabaseConnectionString;
            var templates = hosts[0].Services.GetRequiredService<CadenceTemplates>();
            var agendaBuilder = hosts[0].Services.GetRequiredService<IAgendaBuilder>().GetType().FullName;
            Console.WriteLine($"# agenda builder registered: {agendaBuilder}");

            var seeding = Stopwatch.StartNew();
            var now = DateTimeOffset.UtcNow;
            var minute = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
            var cadences = Cadences(org, repCadences, templates, now).ToList();
            await using (var connection = new NpgsqlConnection(database))
            {
                await connection.OpenAsync();
                if (options.FillFactor is { } fillFactor)
                {
                    // Experiment: room on each page for the lease update to be a HOT update (no index entries).
                    await connection.ExecuteAsync($"ALTER TABLE occurrences SET (fillfactor = {fillFactor})");
                    Console.WriteLine($"# experiment: occurrences fillfactor {fillFactor}");
                }

                await Seed.UsersAsync(connection, org.Users(), now);
                await Seed.OpportunitiesAsync(connection, org.Opportunities(DateOnly.FromDateTime(now.UtcDateTime), now), now);
                await Seed.CadencesAsync(connection, cadences, now);
                // Other slots of the same cadences: held ones in the past, scheduled ones ahead (the horizon).
                await Seed.OccurrencesAsync(connection, cadences.SelectMany(c =>
                    Enumerable.Range(1, options.PastDays).Select(d => Slot(org, c, minute.AddDays(-d), "held"))
                        .Concat(Enumerable.Range(1, options.FutureDays).Select(d => Slot(org, c, minute.AddDays(d), "scheduled")))), now);
                await connection.ExecuteAsync("VACUUM ANALYZE", commandTimeout: 600);
            }

            Console.WriteLine($"# seeded read model, cadences and the other slots in {seeding.Elapsed.TotalSeconds:F1} s");
            for (var i = 1; i < options.Instances; i++)
            {
                hosts.Add(await ServiceHost<Program>.StartAsync(hosts[0].Settings));
            }

            // The due slots last, at the next whole minute far enough ahead that they are committed before it.
            var at = DateTimeOffset.UtcNow.AddSeconds(15);
            var due = new DateTimeOffset(at.Ticks - at.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(1);
            var dueSlots = cadences.Select(c => Slot(org, c, due, "scheduled")).ToList();
            await using (var connection = new NpgsqlConnection(database))
            {
                await connection.OpenAsync();
                await Seed.OccurrencesAsync(connection, dueSlots, DateTimeOffset.UtcNow);
                await connection.ExecuteAsync("ANALYZE occurrences");
            }

            var margin = due - DateTimeOffset.UtcNow;
            if (margin < TimeSpan.FromSeconds(1))
            {
                Console.WriteLine($"# the due slots were committed only {margin.TotalSeconds:F1} s before they came due; the run would not start at 'due'. Aborted.");
                return false;
            }

            Console.WriteLine($"# {dueSlots.Count:N0} slots due at {due:O}, committed {margin.TotalSeconds:F1} s before; load average {MachineLoad.LoadAverage}");
            counter.Reset();
            meters.ResetFired();
            var walBefore = await WalAsync(database);
            await Task.Delay(margin);
            var start = Stopwatch.GetTimestamp();
            var cpu = MachineLoad.Now();
            var deadline = start + (long)(options.Timeout.TotalSeconds * Stopwatch.Frequency);
            var nextReport = start + 5 * Stopwatch.Frequency;
            while (counter.Distinct < dueSlots.Count && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(20);
                if (Stopwatch.GetTimestamp() >= nextReport)
                {
                    nextReport += 5 * Stopwatch.Frequency;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {Stopwatch.GetElapsedTime(start).TotalSeconds,5:F1} s: fired {meters.FiredByInstance.Sum():N0} (by instance: {string.Join(" + ", meters.FiredByInstance.Select(f => f.ToString("N0", CultureInfo.InvariantCulture)))}), at the broker {counter.Distinct:N0}"));
                }
            }

            var complete = counter.Distinct >= dueSlots.Count;
            var end = complete ? counter.LastArrival : Stopwatch.GetTimestamp();
            var elapsed = Stopwatch.GetElapsedTime(start, end);
            var used = MachineLoad.Now() - cpu;
            var loadAtEnd = MachineLoad.LoadAverage;
            var walAfter = await WalAsync(database);

            // Anything late (a duplicate) would arrive soon after: give the dispatchers time to show it.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var ids = dueSlots.Select(s => s.Id).ToHashSet();
            var missing = ids.Count(id => !counter.Seen.ContainsKey(id));
            var duplicates = counter.Seen.Where(s => ids.Contains(s.Key)).Sum(s => s.Value - 1);
            var foreign = counter.Seen.Keys.Count(id => !ids.Contains(id));
            var claims = meters.ClaimMilliseconds(start, end);

            await using var db = new NpgsqlConnection(database);
            var statuses = (await db.QueryAsync<(string Status, long Count)>(
                "SELECT status, count(*) FROM occurrences WHERE scheduled_at = @due GROUP BY status ORDER BY status", new { due = due.UtcDateTime })).ToList();
            var ledger = await db.QuerySingleAsync<(long Due, long WithAgenda, long WithSections, long Sections, long Items)>(
                """
                SELECT count(*) FILTER (WHERE status = 'due' AND fired_at IS NOT NULL),
                    count(*) FILTER (WHERE agenda IS NOT NULL),
                    count(*) FILTER (WHERE jsonb_array_length(agenda) > 0),
                    coalesce(sum(jsonb_array_length(agenda)), 0),
                    coalesce(sum((SELECT sum(jsonb_array_length(s -> 'items')) FROM jsonb_array_elements(agenda) s)), 0)::bigint
                FROM occurrences WHERE scheduled_at = @due
                """, new { due = due.UtcDateTime });
            var otherSlots = await db.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM occurrences WHERE scheduled_at <> @due AND status NOT IN ('held', 'scheduled')", new { due = due.UtcDateTime });
            var outbox = await db.QuerySingleAsync<(long Rows, long Messages, double? LastDispatched)>(
                """
                SELECT count(*) FILTER (WHERE dispatched_at IS NULL), coalesce(sum(coalesce(message_count, 1)) FILTER (WHERE dispatched_at IS NULL), 0),
                    extract(epoch FROM max(dispatched_at) - @due)::float8
                FROM outbox_messages
                """, new { due = due.UtcDateTime });

            var ok = complete && missing == 0 && duplicates == 0 && foreign == 0 && counter.Mismatched == 0
                && ledger.Due == dueSlots.Count && statuses.Count == 1 && outbox.Rows == 0 && otherSlots == 0;
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"due → all at the broker   {(complete ? "" : "NOT COMPLETE after ")}{elapsed.TotalSeconds:F1} s ({dueSlots.Count / elapsed.TotalSeconds:N0} occurrences/s), target < 60 s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"broker                    {counter.Deliveries:N0} deliveries, {counter.Distinct:N0} distinct ids; missing {missing}, duplicates {duplicates}, unknown ids {foreign}, envelope/MessageId mismatches {counter.Mismatched} (1 in 100 checked)"));
            Console.WriteLine($"ledger                    {string.Join(", ", statuses.Select(s => $"{s.Status} {s.Count:N0}"))}; due with fired_at {ledger.Due:N0}; other slots touched {otherSlots}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"outbox                    {outbox.Rows} rows / {outbox.Messages} messages not dispatched; last row marked dispatched {outbox.LastDispatched:F1} s after due"));
            Console.WriteLine($"agendas                   {ledger.WithAgenda:N0} stored, {ledger.WithSections:N0} with sections ({ledger.Sections:N0} sections, {ledger.Items:N0} items) — builder {agendaBuilder}");
            Console.WriteLine($"fired by instance         {string.Join(" + ", meters.FiredByInstance.Select(f => f.ToString("N0", CultureInfo.InvariantCulture)))}");
            Console.WriteLine(claims.Length == 0 ? "claim rounds              none recorded" : string.Create(CultureInfo.InvariantCulture,
                $"claim rounds              {claims.Length} (both instances): p50 {Percentile(claims, 0.50):F1} ms, p95 {Percentile(claims, 0.95):F1} ms, p99 {Percentile(claims, 0.99):F1} ms, max {claims[^1]:F1} ms, target p99 < 100 ms"));
            if (claims.Length > 0)
            {
                // The same rounds by quarter of the run: a claim that slows as the run goes on scans what earlier rounds left.
                var quarter = (end - start) / 4;
                Console.WriteLine("claim p50 / max by quarter " + string.Join(" · ", Enumerable.Range(0, 4).Select(q =>
                {
                    var part = meters.ClaimMilliseconds(start + q * quarter, start + (q + 1) * quarter);
                    return part.Length == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Percentile(part, 0.5):F0} / {part[^1]:F0} ms ({part.Length})");
                })));
            }

            var hot = await db.QuerySingleAsync<(long Updated, long Hot)>("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'occurrences'");
            Console.WriteLine($"occurrence updates        {hot.Updated:N0}, of them HOT (no index entries) {hot.Hot:N0}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"PostgreSQL                {(walAfter.Bytes - walBefore.Bytes) / 1048576.0:N0} MiB of WAL ({(walAfter.Bytes - walBefore.Bytes) / (double)dueSlots.Count / 1024:N1} KiB per occurrence), {walAfter.Checkpoints - walBefore.Checkpoints} checkpoint(s) during the run"));
            Console.WriteLine($"CPU                       {used.Describe(elapsed)}; load average at due {loadAtEnd}");
            Console.WriteLine(ok ? "RESULT                    every occurrence published exactly once" : "RESULT                    FAILED (see above)");
            return ok;
        }
        finally
        {
            foreach (var host in Enumerable.Reverse(hosts))
            {
                await host.DisposeAsync();
            }
        }
    }

    /// <summary>WAL written so far and checkpoints taken: how much the run made PostgreSQL write (full-page images included).</summary>
    private static async Task<(long Bytes, long Checkpoints)> WalAsync(string database)
    {
        await using var db = new NpgsqlConnection(database);
        return await db.QuerySingleAsync<(long, long)>(
            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint, (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter)");
    }

    private static IEnumerable<Seed.CadenceRow> Cadences(Org org, int repCadences, CadenceTemplates templates, DateTimeOffset now)
    {
        var until = now.AddDays(8); // the horizon is already materialised: the materializer leaves these alone during the run
        for (var m = 0; m < org.Managers; m++)
        {
            var definition = templates.ApplyDefaults(new CadenceDefinition { Kind = CadenceKinds.DailyHuddle, Target = new TargetSpec(TargetSpec.Team, ManagerId: Org.ManagerId(m)) });
            yield return new Seed.CadenceRow(Guid.CreateVersion7(now), definition.Kind!, definition.Name!, JsonSerializer.Serialize(definition, Json), TargetSpec.Team, Org.ManagerId(m), until);
        }

        for (var r = 0; r < repCadences; r++)
        {
            var definition = templates.ApplyDefaults(new CadenceDefinition { Kind = CadenceKinds.DailyHuddle, Name = $"Daily plan — Rep {r}", Target = new TargetSpec(TargetSpec.User, UserId: Org.RepId(r)) });
            yield return new Seed.CadenceRow(Guid.CreateVersion7(now), definition.Kind!, definition.Name!, JsonSerializer.Serialize(definition, Json), TargetSpec.User, Org.RepId(r), until);
        }
    }

    private static readonly Dictionary<string, TimeZoneInfo> ZoneInfo = SeedZones.All.ToDictionary(z => z, TimeZoneInfo.FindSystemTimeZoneById);

    private static Seed.OccurrenceRow Slot(Org org, Seed.CadenceRow cadence, DateTimeOffset at, string status)
    {
        var assignee = cadence.TargetId;
        var zone = org.ZoneOf(assignee);
        return new Seed.OccurrenceRow(Guid.CreateVersion7(), cadence.Id, CadenceKinds.DailyHuddle, assignee, at,
            DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(at, ZoneInfo[zone]).DateTime, DateTimeKind.Unspecified), zone,
            at.AddMinutes(15 + 24 * 60), status, status == "held" ? at : null);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
