using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Cadence.Ledger;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.LoadTest;

/// <summary>
/// N recurring cadences (a mix of templates and custom schedules, IANA and "assignee" zones) inserted with no horizon
/// while the instances run, then their materializers woken (<see cref="LedgerSignal"/>, as the API does after a write):
/// timed until every cadence's horizon is written. The hosted <c>HorizonMaterializer</c> does the work, as in production.
/// </summary>
internal static class MaterializeBenchmark
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<bool> RunAsync(Options options, Dictionary<string, string?> settings)
    {
        var org = new Org(options.Count / 5, 4, 0, SeedZones.All); // a user per cadence: a fifth managers, four reps each
        var hosts = new List<ServiceHost<Program>> { await ServiceHost<Program>.StartAsync("cadence_horizon", settings) };
        try
        {
            for (var i = 1; i < options.Instances; i++)
            {
                hosts.Add(await ServiceHost<Program>.StartAsync(hosts[0].Settings));
            }

            var database = hosts[0].DatabaseConnectionString;
            var templates = hosts[0].Services.GetRequiredService<CadenceTemplates>();
            var now = DateTimeOffset.UtcNow;
            var cadences = Cadences(org, options.Count, templates, now).ToList();
            await using var db = new NpgsqlConnection(database);
            await db.OpenAsync();
            await Seed.UsersAsync(db, org.Users(), now);
            await Seed.CadencesAsync(db, cadences.Select(c => c.Row), now);
            await db.ExecuteAsync("ANALYZE users, cadences");
            Console.WriteLine($"# materialize: {cadences.Count:N0} cadences ({string.Join(", ", cadences.GroupBy(c => c.Mix).Select(g => $"{g.Count():N0} {g.Key}"))}), "
                + $"{options.Instances} instance(s), horizon 7 days; load average {MachineLoad.LoadAverage}");

            var cpu = MachineLoad.Now();
            var start = Stopwatch.GetTimestamp();
            foreach (var host in hosts)
            {
                host.Services.GetRequiredService<LedgerSignal>().CadenceChanged();
            }

            var deadline = start + (long)(options.Timeout.TotalSeconds * Stopwatch.Frequency);
            long left;
            while ((left = await db.ExecuteScalarAsync<long>("SELECT count(*) FROM cadences WHERE materialized_until IS NULL")) > 0 && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(10);
            }

            var elapsed = Stopwatch.GetElapsedTime(start);
            var used = MachineLoad.Now() - cpu;
            var slots = await db.QuerySingleAsync<(long Slots, long Cadences, long Scheduled)>(
                "SELECT count(*), count(DISTINCT cadence_id), count(*) FILTER (WHERE status = 'scheduled') FROM occurrences");
            var beyond = await db.ExecuteScalarAsync<long>("SELECT count(*) FROM occurrences WHERE scheduled_at > @limit", new { limit = DateTime.UtcNow.AddDays(7) });
            var ok = left == 0 && slots.Cadences >= cadences.Count(c => c.ExpectsSlots) && beyond == 0;
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"7-day horizon for {cadences.Count:N0} cadences   {(left == 0 ? "" : $"NOT COMPLETE ({left:N0} left) after ")}{elapsed.TotalSeconds:F2} s, target < 10 s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"slots written                     {slots.Slots:N0} for {slots.Cadences:N0} cadences ({slots.Slots / elapsed.TotalSeconds:N0} slots/s), {slots.Scheduled:N0} still scheduled; beyond the horizon {beyond}"));
            Console.WriteLine($"CPU                               {used.Describe(elapsed)}; load average at the end {MachineLoad.LoadAverage}");
            Console.WriteLine(ok ? "RESULT                            every cadence materialised" : "RESULT                            FAILED (see above)");
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

    private static IEnumerable<Seeded> Cadences(Org org, int count, CadenceTemplates templates, DateTimeOffset now)
    {
        for (var i = 0; i < count; i++)
        {
            var manager = Org.ManagerId(i % org.Managers);
            var rep = Org.RepId(i % org.Reps);
            var zone = SeedZones.All[i % SeedZones.All.Length];
            var (mix, definition) = (i % 20) switch
            {
                < 8 => ("team daily huddles (weekdays 09:00, assignee zone)",
                    new CadenceDefinition { Kind = CadenceKinds.DailyHuddle, Target = new TargetSpec(TargetSpec.Team, ManagerId: manager) }),
                < 10 => ("team weekly reviews (Mondays, assignee zone)",
                    new CadenceDefinition { Kind = CadenceKinds.WeeklyPipelineReview, Target = new TargetSpec(TargetSpec.Team, ManagerId: manager) }),
                < 12 => ("target-account planning (first Monday, assignee zone)",
                    new CadenceDefinition { Kind = CadenceKinds.TargetAccountPlanning, Target = new TargetSpec(TargetSpec.User, UserId: rep) }),
                < 16 => ("custom twice daily (IANA zones)",
                    new CadenceDefinition { Kind = CadenceKinds.Custom, Name = "Pipeline check-in", Schedule = new ScheduleSpec("0 8,13 * * *", zone), Target = new TargetSpec(TargetSpec.User, UserId: rep) }),
                < 18 => ("custom every 30 min in office hours (IANA zones)",
                    new CadenceDefinition { Kind = CadenceKinds.Custom, Name = "Deal desk slot", Schedule = new ScheduleSpec("*/30 9-17 * * 1-5", zone), Target = new TargetSpec(TargetSpec.User, UserId: rep) }),
                _ => ("custom daily (assignee zone)",
                    new CadenceDefinition { Kind = CadenceKinds.Custom, Name = "Daily plan", Schedule = new ScheduleSpec("30 8 * * *", ScheduleSpec.AssigneeTimeZone), Target = new TargetSpec(TargetSpec.User, UserId: rep) }),
            };
            var resolved = templates.ApplyDefaults(definition);
            var target = resolved.Target!;
            // Target-account planning fires only on the first Monday of a month: within 7 days there may be none.
            var expectsSlots = resolved.Kind != CadenceKinds.TargetAccountPlanning;
            yield return new Seeded(mix, expectsSlots, new Seed.CadenceRow(Guid.CreateVersion7(now), resolved.Kind!, resolved.Name!,
                JsonSerializer.Serialize(resolved, Json), target.Type!, target.AssigneeId!, null));
        }
    }

    private sealed record Seeded(string Mix, bool ExpectsSlots, Seed.CadenceRow Row);
}
