using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Contracts.Cadence;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests.Ledger;

/// <summary>The horizon is materialised ahead, each slot fires once at its time, with its team resolved when it fires.</summary>
public sealed class When_slots_come_due
{
    private const string Manager = "005000000000M01AAA";
    private const string RepEast = "005000000000R01AAA";
    private const string RepWest = "005000000000R02AAA";
    private const string RepTokyo = "005000000000R03AAA";

    [Test]
    public async Task Should_materialise_the_horizon_and_fire_each_slot_once_with_the_team_as_it_stands()
    {
        var clock = TestClock.Start(); // Wednesday 2026-11-25 09:30Z
        await using var probe = await QueueProbe<CadenceOccurrenceDue>.StartAsync();
        await using var cadence = await LedgerHost.StartAsync(clock);
        await cadence.AddUsersAsync(
            LedgerHost.User(Manager, null, "America/New_York", clock.GetUtcNow()),
            LedgerHost.User(RepEast, Manager, "America/New_York", clock.GetUtcNow()),
            LedgerHost.User(RepWest, Manager, "America/Los_Angeles", clock.GetUtcNow()));

        var id = await cadence.AddCadenceAsync(new CadenceDefinition
        {
            Kind = CadenceKinds.DailyHuddle,
            Target = new TargetSpec(TargetSpec.Team, ManagerId: Manager),
        }, clock.GetUtcNow());

        // Weekdays at 09:00 in the manager's zone (New York, UTC-5 in November) for the next 7 days.
        var slots = await Eventually.ValueAsync(() => cadence.OccurrencesAsync(id), rows => rows.Count == 5, "the 7-day horizon");
        Assert.That(slots.Select(s => s.ScheduledAt), Is.EqualTo(new[]
        {
            new DateTime(2026, 11, 25, 14, 0, 0), new DateTime(2026, 11, 26, 14, 0, 0), new DateTime(2026, 11, 27, 14, 0, 0),
            new DateTime(2026, 11, 30, 14, 0, 0), new DateTime(2026, 12, 1, 14, 0, 0),
        }));
        Assert.That(slots.Select(s => s.LocalStart.TimeOfDay), Has.All.EqualTo(TimeSpan.FromHours(9)));
        Assert.That(slots.Select(s => s.TimeZone), Has.All.EqualTo("America/New_York"));
        Assert.That(slots.Select(s => s.Status), Has.All.EqualTo("scheduled"));

        // A rep joins in another zone before the first slot: the team is resolved when the slot fires.
        await cadence.AddUsersAsync(LedgerHost.User(RepTokyo, Manager, "Asia/Tokyo", clock.GetUtcNow()));
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 14, 0, 5, TimeSpan.Zero));

        var due = await probe.WaitForAsync(m => m.CadenceId == id.ToString(), "the first huddle to be published");
        Assert.That(due.Message.OccurrenceId, Is.EqualTo(slots[0].Id.ToString()));
        Assert.That(due.MessageId, Is.EqualTo(slots[0].Id), "the occurrence id is the message id, so consumers can deduplicate");
        Assert.That(due.Message.AssigneeId, Is.EqualTo(Manager));
        Assert.That(due.Message.ParticipantIds, Is.EquivalentTo(new[] { RepEast, RepWest, RepTokyo }));
        Assert.That(due.Message.ScheduledAt, Is.EqualTo(new DateTimeOffset(2026, 11, 25, 14, 0, 0, TimeSpan.Zero)));
        Assert.That(due.Message.LocalStart, Is.EqualTo("2026-11-25T09:00:00"));
        Assert.That(due.Message.DueBy, Is.EqualTo(new DateTimeOffset(2026, 11, 26, 14, 15, 0, TimeSpan.Zero)), "default window: duration plus 24 h");
        Assert.That(due.Message.CadenceName, Is.EqualTo("Daily huddle"));

        var rows = await Eventually.ValueAsync(() => cadence.OccurrencesAsync(id), r => r[0].Status == "due", "the slot to be due");
        Assert.That(rows[0].ParticipantIds, Is.EquivalentTo(new[] { RepEast, RepWest, RepTokyo }));
        Assert.That(rows[0].Agenda, Is.Not.Null, "the agenda snapshot is stored with the occurrence");
        Assert.That(rows.Skip(1).Select(r => r.Status), Has.All.EqualTo("scheduled"), "later slots wait for their time");

        // Time moves on to the next day: exactly one more publication, for the second slot.
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 26, 14, 0, 1, TimeSpan.Zero));
        await probe.WaitForAsync(m => m.OccurrenceId == slots[1].Id.ToString(), "the second huddle");
        await Eventually.TrueAsync(async () => (await cadence.OccurrencesAsync(id))[1].Status == "due", "the second slot to be due");
        Assert.That(probe.Matching(m => m.CadenceId == id.ToString()).Select(m => m.Message.OccurrenceId),
            Is.EqualTo(new[] { slots[0].Id.ToString(), slots[1].Id.ToString() }));
    }

    [Test]
    public async Task Should_follow_each_assignee_zone_and_re_plan_when_it_changes()
    {
        var clock = TestClock.Start();
        await using var cadence = await LedgerHost.StartAsync(clock);
        const string tokyoRep = "005000000000Z01AAA";
        const string berlinRep = "005000000000Z02AAA";
        await cadence.AddUsersAsync(
            LedgerHost.User(tokyoRep, null, "Asia/Tokyo", clock.GetUtcNow()),
            LedgerHost.User(berlinRep, null, "Europe/Berlin", clock.GetUtcNow()));
        var schedule = new ScheduleSpec("0 9 * * *", ScheduleSpec.AssigneeTimeZone);
        var tokyo = await cadence.AddCadenceAsync(new CadenceDefinition { Kind = CadenceKinds.Custom, Name = "Tokyo 9am", Schedule = schedule, Target = new TargetSpec(TargetSpec.User, UserId: tokyoRep) }, clock.GetUtcNow());
        var berlin = await cadence.AddCadenceAsync(new CadenceDefinition { Kind = CadenceKinds.Custom, Name = "Berlin 9am", Schedule = schedule, Target = new TargetSpec(TargetSpec.User, UserId: berlinRep) }, clock.GetUtcNow());

        var tokyoSlots = await Eventually.ValueAsync(() => cadence.OccurrencesAsync(tokyo), r => r.Count == 7, "Tokyo's horizon");
        var berlinSlots = await Eventually.ValueAsync(() => cadence.OccurrencesAsync(berlin), r => r.Count == 7, "Berlin's horizon");
        Assert.That(tokyoSlots.Select(s => s.ScheduledAt.TimeOfDay), Has.All.EqualTo(TimeSpan.FromHours(0)), "09:00 JST is 00:00Z");
        Assert.That(berlinSlots.Select(s => s.ScheduledAt.TimeOfDay), Has.All.EqualTo(TimeSpan.FromHours(8)), "09:00 CET is 08:00Z");

        // The Berlin rep moves to São Paulo: the future slots follow them.
        await cadence.AddUsersAsync(LedgerHost.User(berlinRep, null, "America/Sao_Paulo", clock.GetUtcNow().AddMinutes(1)));
        var moved = await Eventually.ValueAsync(() => cadence.OccurrencesAsync(berlin),
            r => r.Count == 7 && r.All(s => s.TimeZone == "America/Sao_Paulo"), "Berlin's slots to move to São Paulo");
        Assert.That(moved.Select(s => s.ScheduledAt.TimeOfDay), Has.All.EqualTo(TimeSpan.FromHours(12)), "09:00 in São Paulo (UTC-3) is 12:00Z");
        Assert.That((await cadence.OccurrencesAsync(tokyo)).Select(s => s.Id), Is.EqualTo(tokyoSlots.Select(s => s.Id)), "other cadences are untouched");
    }

    [Test]
    public async Task Should_wait_for_an_unknown_assignee_zone_then_materialise()
    {
        var clock = TestClock.Start();
        await using var cadence = await LedgerHost.StartAsync(clock);
        const string newcomer = "005000000000N01AAA";
        var id = await cadence.AddCadenceAsync(new CadenceDefinition
        {
            Kind = CadenceKinds.Custom, Name = "Newcomer 1:1", Schedule = new ScheduleSpec("0 10 * * *", ScheduleSpec.AssigneeTimeZone),
            Target = new TargetSpec(TargetSpec.User, UserId: newcomer),
        }, clock.GetUtcNow());

        await Eventually.TrueAsync(async () =>
        {
            await using var connection = new Npgsql.NpgsqlConnection(cadence.ConnectionString);
            return await Dapper.SqlMapper.ExecuteScalarAsync<bool>(connection, "SELECT materialized_until IS NOT NULL FROM cadences WHERE id = @id", new { id });
        }, "the materializer to look at the cadence");
        Assert.That(await cadence.OccurrencesAsync(id), Is.Empty, "no zone, no slots");

        await cadence.AddUsersAsync(LedgerHost.User(newcomer, null, "Australia/Sydney", clock.GetUtcNow()));
        var slots = await Eventually.ValueAsync(() => cadence.OccurrencesAsync(id), r => r.Count == 7, "the slots once the zone is known");
        Assert.That(slots.Select(s => s.ScheduledAt.TimeOfDay), Has.All.EqualTo(TimeSpan.FromHours(23)), "10:00 AEDT is 23:00Z the day before");
    }
}
