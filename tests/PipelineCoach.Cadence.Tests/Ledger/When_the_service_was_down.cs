using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Contracts.Cadence;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests.Ledger;

/// <summary>
/// Downtime catch-up: slots passed while no instance ran follow the cadence's misfire policy, and nothing is ever
/// published twice (Hangfire and Quartz users' "it fired 40 times after the outage").
/// </summary>
public sealed class When_the_service_was_down
{
    private const string Rep = "005000000000D01AAA";

    [TestCase(MisfireSpec.Skip)]
    [TestCase(MisfireSpec.FireOnce)]
    public async Task Should_apply_the_misfire_policy_to_the_slots_it_slept_through(string policy)
    {
        var clock = TestClock.Start(); // 09:30Z
        await using var probe = await QueueProbe<CadenceOccurrenceDue>.StartAsync();
        var first = await LedgerHost.StartAsync(clock);
        var id = await first.AddCadenceAsync(new CadenceDefinition
        {
            Kind = CadenceKinds.Custom, Name = $"Hourly check-in ({policy})",
            Schedule = new ScheduleSpec("0 * * * *", "UTC"),
            Target = new TargetSpec(TargetSpec.User, UserId: Rep),
            Misfire = new MisfireSpec(policy, 30),
        }, clock.GetUtcNow());
        await Eventually.ValueAsync(() => first.OccurrencesAsync(id), r => r.Count > 100, "the horizon");

        // 10:00 fires on time; then the only instance goes down from 10:10 to 15:20.
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 10, 0, 10, TimeSpan.Zero));
        await probe.WaitForAsync(m => m.CadenceId == id.ToString(), "the 10:00 slot");
        await Eventually.TrueAsync(async () => (await first.OccurrencesAsync(id))[0].Status == "due", "the 10:00 slot to be due");
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 10, 10, 0, TimeSpan.Zero));
        await first.DisposeAsync();
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 15, 20, 0, TimeSpan.Zero));

        await using var restarted = await LedgerHost.StartAnotherAsync(first, clock);
        var slept = new[] { 11, 12, 13, 14, 15 }.Select(h => new DateTime(2026, 11, 25, h, 0, 0)).ToArray();
        var rows = await Eventually.ValueAsync(() => restarted.OccurrencesAsync(id),
            r => r.Where(o => slept.Contains(o.ScheduledAt)).All(o => o.Status != "scheduled"), "the missed slots to be settled");
        var settled = rows.Where(o => slept.Contains(o.ScheduledAt)).ToList();

        if (policy == MisfireSpec.Skip)
        {
            // 15:00 is 20 minutes late, within the 30-minute grace: it fires; 11:00–14:00 are misfires.
            Assert.That(settled.Take(4).Select(o => (o.Status, o.StatusReason)), Has.All.EqualTo(("skipped", (string?)"misfire")));
            Assert.That(settled[4].Status, Is.EqualTo("due"));
        }
        else
        {
            Assert.That(settled.Take(4).Select(o => (o.Status, o.StatusReason)), Has.All.EqualTo(("skipped", (string?)"misfire")));
            Assert.That(settled[4].Status, Is.EqualTo("due"), "the most recent missed slot fires once");
        }

        // Once the 16:00 slot fires, everything before it has been published exactly once, or not at all.
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 16, 0, 1, TimeSpan.Zero));
        var sixteen = rows.Single(o => o.ScheduledAt == new DateTime(2026, 11, 25, 16, 0, 0));
        await probe.WaitForAsync(m => m.OccurrenceId == sixteen.Id.ToString(), "the 16:00 slot");
        var published = probe.Matching(m => m.CadenceId == id.ToString()).Select(m => m.Message.ScheduledAt.UtcDateTime).ToList();
        Assert.That(published, Is.EqualTo(new[] { new DateTime(2026, 11, 25, 10, 0, 0), slept[4], new DateTime(2026, 11, 25, 16, 0, 0) }));
    }

    [Test]
    public async Task Should_fire_only_the_latest_slot_late_under_fire_once_when_every_slot_is_past_grace()
    {
        var clock = TestClock.Start();
        await using var probe = await QueueProbe<CadenceOccurrenceDue>.StartAsync();
        var first = await LedgerHost.StartAsync(clock);
        var id = await first.AddCadenceAsync(new CadenceDefinition
        {
            Kind = CadenceKinds.WeeklyPipelineReview, Name = "Weekly review, fire once",
            Schedule = new ScheduleSpec("0 12 * * *", "Europe/London"),
            Target = new TargetSpec(TargetSpec.Team, ManagerId: Rep),
            Misfire = new MisfireSpec(MisfireSpec.FireOnce, 15),
        }, clock.GetUtcNow());
        await Eventually.ValueAsync(() => first.OccurrencesAsync(id), r => r.Count == 7, "the horizon");
        await first.DisposeAsync();

        // Down for three days: the 12:00 slots of the 25th, 26th and 27th all passed; it is now the 27th at 18:00.
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 18, 0, 0, TimeSpan.Zero));
        await using var restarted = await LedgerHost.StartAnotherAsync(first, clock);
        var rows = await Eventually.ValueAsync(() => restarted.OccurrencesAsync(id), r => r.Take(3).All(o => o.Status != "scheduled"), "the missed slots to settle");
        Assert.That(rows.Take(3).Select(o => o.Status), Is.EqualTo(new[] { "skipped", "skipped", "due" }));
        Assert.That(rows.Take(2).Select(o => o.StatusReason), Has.All.EqualTo("misfire"));
        await probe.WaitForAsync(m => m.OccurrenceId == rows[2].Id.ToString(), "the late slot");
        Assert.That(probe.Matching(m => m.CadenceId == id.ToString()), Has.Count.EqualTo(1));
    }
}
