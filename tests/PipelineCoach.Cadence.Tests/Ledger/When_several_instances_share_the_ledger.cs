using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.Cadence.Agendas;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Contracts.Cadence;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests.Ledger;

/// <summary>
/// Two and three instances on one database: every slot fires exactly once (Quartz clusters' duplicate firings), and an
/// instance killed mid-claim loses nothing.
/// </summary>
public sealed class When_several_instances_share_the_ledger
{
    private static readonly DateTimeOffset TenOClock = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [TestCase(2)]
    [TestCase(3)]
    public async Task Should_fire_each_slot_exactly_once(int instances)
    {
        var clock = TestClock.Start();
        await using var probe = await QueueProbe<CadenceOccurrenceDue>.StartAsync();
        var hosts = new List<LedgerHost> { await LedgerHost.StartAsync(clock, new Dictionary<string, string?> { ["Cadence:ClaimBatchSize"] = "25" }) };
        try
        {
            var cadenceIds = new List<Guid>();
            for (var i = 0; i < 300; i++)
            {
                cadenceIds.Add(await hosts[0].AddCadenceAsync(new CadenceDefinition
                {
                    Kind = CadenceKinds.Custom, Name = $"Rep check-in {i}", Schedule = new ScheduleSpec("0 10 * * *", "UTC"),
                    Target = new TargetSpec(TargetSpec.User, UserId: $"005000000{i:D6}AAA"),
                }, clock.GetUtcNow()));
            }

            await Eventually.TrueAsync(async () => await CountAsync(hosts[0], "SELECT count(*) FROM occurrences WHERE scheduled_at = @at", TenOClock) == 300, "300 slots at 10:00");
            while (hosts.Count < instances)
            {
                hosts.Add(await LedgerHost.StartAnotherAsync(hosts[0], clock));
            }

            clock.SetUtcNow(TenOClock.AddSeconds(1));
            var ids = cadenceIds.Select(c => c.ToString()).ToHashSet();
            await probe.WaitForAsync(m => ids.Contains(m.CadenceId), 300, "every 10:00 slot to be published");
            await Eventually.TrueAsync(async () => await CountAsync(hosts[0], "SELECT count(*) FROM outbox_messages WHERE dispatched_at IS NULL", null) == 0, "the outbox to drain");

            Assert.That(await CountAsync(hosts[0], "SELECT count(*) FROM occurrences WHERE scheduled_at = @at AND status = 'due'", TenOClock), Is.EqualTo(300));
            var published = probe.Matching(m => ids.Contains(m.CadenceId));
            Assert.That(published.Select(m => m.Message.OccurrenceId).Distinct().Count(), Is.EqualTo(300));
            Assert.That(published, Has.Count.EqualTo(300), "no slot published twice");
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task Should_lose_nothing_and_fire_nothing_twice_when_an_instance_dies_mid_claim()
    {
        var clock = TestClock.Start();
        await using var probe = await QueueProbe<CadenceOccurrenceDue>.StartAsync();
        var blocking = new BlockingAgendaBuilder();
        var doomed = await LedgerHost.StartAsync(clock, new Dictionary<string, string?> { ["Cadence:ClaimBatchSize"] = "40" },
            services => services.AddSingleton<IAgendaBuilder>(blocking));
        var cadenceIds = new List<Guid>();
        for (var i = 0; i < 100; i++)
        {
            cadenceIds.Add(await doomed.AddCadenceAsync(new CadenceDefinition
            {
                Kind = CadenceKinds.Custom, Name = $"Check-in {i}", Schedule = new ScheduleSpec("0 10 * * *", "UTC"),
                Target = new TargetSpec(TargetSpec.User, UserId: $"005000001{i:D6}AAA"),
            }, clock.GetUtcNow()));
        }

        await Eventually.TrueAsync(async () => await CountAsync(doomed, "SELECT count(*) FROM occurrences WHERE scheduled_at = @at", TenOClock) == 100, "100 slots at 10:00");
        clock.SetUtcNow(TenOClock.AddSeconds(1));
        var held = await blocking.Entered.WaitAsync(Eventually.DefaultTimeout);
        Assert.That(held, Is.EqualTo(40), "the doomed instance holds one round of leases");
        await doomed.DisposeAsync(); // killed between claim and fire

        await using var survivor = await LedgerHost.StartAnotherAsync(doomed, clock);
        var ids = cadenceIds.Select(c => c.ToString()).ToHashSet();
        await probe.WaitForAsync(m => ids.Contains(m.CadenceId), 60, "the survivor to fire the slots nobody held");
        Assert.That(await CountAsync(survivor, "SELECT count(*) FROM occurrences WHERE scheduled_at = @at AND status = 'scheduled' AND claimed_by IS NOT NULL", TenOClock),
            Is.EqualTo(40), "the dead instance's leases still hold its slots");

        clock.Advance(TimeSpan.FromMinutes(2)); // past the 1-minute lease
        await probe.WaitForAsync(m => ids.Contains(m.CadenceId), 100, "the dead instance's slots once its lease ran out");
        await Eventually.TrueAsync(async () => await CountAsync(survivor, "SELECT count(*) FROM outbox_messages WHERE dispatched_at IS NULL", null) == 0, "the outbox to drain");
        var published = probe.Matching(m => ids.Contains(m.CadenceId));
        Assert.That(published.Select(m => m.Message.OccurrenceId).Distinct().Count(), Is.EqualTo(100), "nothing lost");
        Assert.That(published, Has.Count.EqualTo(100), "nothing twice");
    }

    private static async Task<long> CountAsync(LedgerHost host, string sql, DateTimeOffset? at)
    {
        await using var connection = new NpgsqlConnection(host.ConnectionString);
        return await connection.ExecuteScalarAsync<long>(sql, new { at = at?.UtcDateTime });
    }
}
