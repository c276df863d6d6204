using PipelineCoach.Cadence.Schedules;

namespace PipelineCoach.Cadence.Tests.Schedules;

/// <summary>
/// Recurring slots across daylight-saving transitions, in zones north and south, one whose shift is half an hour,
/// with start and end dates and exclusions. Each transition date below is the zone's real one.
/// </summary>
public sealed class When_expanding_a_recurring_schedule
{
    private static RecurringSchedule Schedule(string cron, string zone, DateOnly? startsOn = null, DateOnly? endsOn = null, params DateOnly[] exclusions) =>
        RecurringSchedule.TryCreate(cron, zone, startsOn, endsOn, exclusions, out var cronError, out var zoneError)
        ?? throw new InvalidOperationException($"{cronError} {zoneError}");

    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Test]
    public void A_local_time_skipped_by_spring_forward_fires_once_at_the_first_instant_after_the_gap()
    {
        // New York springs forward on 2027-03-14 at 02:00 → 03:00; 02:30 does not exist that day.
        var slots = Schedule("30 2 * * *", "America/New_York").Next(Utc(2027, 3, 13, 12), 3);

        Assert.Multiple(() =>
        {
            Assert.That(slots.Select(s => s.LocalStart), Is.EqualTo(new[]
            {
                new DateTime(2027, 3, 14, 3, 0, 0), new DateTime(2027, 3, 15, 2, 30, 0), new DateTime(2027, 3, 16, 2, 30, 0),
            }));
            Assert.That(slots[0].UtcStart, Is.EqualTo(Utc(2027, 3, 14, 7)));
            Assert.That(slots.Select(s => s.Dst), Is.EqualTo(new DstMark?[] { DstMark.Shifted, null, null }));
        });
    }

    [Test]
    public void A_local_time_repeated_by_fall_back_fires_once_at_its_first_instant()
    {
        // New York falls back on 2027-11-07 at 02:00 → 01:00; 01:30 happens at 05:30Z (EDT) and 06:30Z (EST).
        var slots = Schedule("30 1 * * *", "America/New_York").Next(Utc(2027, 11, 6, 12), 2);

        Assert.Multiple(() =>
        {
            Assert.That(slots[0].UtcStart, Is.EqualTo(Utc(2027, 11, 7, 5, 30)));
            Assert.That(slots[0].Dst, Is.EqualTo(DstMark.Ambiguous));
            Assert.That(slots[1].LocalStart, Is.EqualTo(new DateTime(2027, 11, 8, 1, 30, 0)));
            Assert.That(slots[1].Dst, Is.Null);
        });
    }

    [Test]
    public void An_interval_schedule_fires_each_repeated_local_time_once()
    {
        // Every 30 minutes through New York's fall-back night: 01:00 and 01:30 fire once each, in the first pass.
        var slots = Schedule("*/30 * * * *", "America/New_York").Between(Utc(2027, 11, 7, 4, 59), Utc(2027, 11, 7, 7, 59));

        Assert.That(slots.Select(s => (s.LocalStart.TimeOfDay, s.Dst)), Is.EqualTo(new (TimeSpan, DstMark?)[]
        {
            (new TimeSpan(1, 0, 0), DstMark.Ambiguous), (new TimeSpan(1, 30, 0), DstMark.Ambiguous),
            (new TimeSpan(2, 0, 0), null), (new TimeSpan(2, 30, 0), null),
        }));
    }

    [Test]
    public void The_southern_hemisphere_shifts_in_its_own_seasons()
    {
        // Sydney springs forward on 2027-10-03 at 02:00 → 03:00 and falls back on 2027-04-04 at 03:00 → 02:00.
        var spring = Schedule("15 2 * * *", "Australia/Sydney").Next(Utc(2027, 10, 2, 0), 1)[0];
        var autumn = Schedule("15 2 * * *", "Australia/Sydney").Next(Utc(2027, 4, 3, 0), 1)[0];

        Assert.Multiple(() =>
        {
            Assert.That((spring.LocalStart, spring.Dst), Is.EqualTo((new DateTime(2027, 10, 3, 3, 0, 0), (DstMark?)DstMark.Shifted)));
            Assert.That((autumn.UtcStart, autumn.Dst), Is.EqualTo((Utc(2027, 4, 3, 15, 15), (DstMark?)DstMark.Ambiguous)), "02:15 AEDT, the first of the two");
        });
    }

    [Test]
    public void A_half_hour_shift_is_handled_like_any_other()
    {
        // Lord Howe Island moves by 30 minutes: 02:00 → 02:30 on 2027-10-03, 02:00 → 01:30 on 2027-04-04.
        var spring = Schedule("10 2 * * *", "Australia/Lord_Howe").Next(Utc(2027, 10, 2, 0), 1)[0];
        var autumn = Schedule("45 1 * * *", "Australia/Lord_Howe").Next(Utc(2027, 4, 3, 0), 2);

        Assert.Multiple(() =>
        {
            Assert.That((spring.LocalStart, spring.Dst), Is.EqualTo((new DateTime(2027, 10, 3, 2, 30, 0), (DstMark?)DstMark.Shifted)));
            Assert.That(autumn[0].Dst, Is.EqualTo(DstMark.Ambiguous));
            Assert.That(autumn[0].UtcStart, Is.EqualTo(Utc(2027, 4, 3, 14, 45)), "01:45 at +11:00, the first of the two");
            Assert.That(autumn[1].LocalStart.Date, Is.EqualTo(new DateTime(2027, 4, 5)), "once on the day it repeats");
        });
    }

    [Test]
    public void Start_and_end_dates_and_exclusions_are_local_dates()
    {
        // Weekly on Mondays 09:00 in Berlin, from 2026-12-01 to 2027-01-11, without the Monday after Christmas.
        var slots = Schedule("0 9 * * 1", "Europe/Berlin", new DateOnly(2026, 12, 1), new DateOnly(2027, 1, 11), new DateOnly(2026, 12, 28))
            .Between(Utc(2026, 11, 1), Utc(2027, 6, 1));

        Assert.Multiple(() =>
        {
            Assert.That(slots.Select(s => DateOnly.FromDateTime(s.LocalStart)), Is.EqualTo(new[]
            {
                new DateOnly(2026, 12, 7), new DateOnly(2026, 12, 14), new DateOnly(2026, 12, 21), new DateOnly(2027, 1, 4), new DateOnly(2027, 1, 11),
            }));
            Assert.That(slots[0].UtcStart, Is.EqualTo(Utc(2026, 12, 7, 8)), "CET is UTC+1 in winter");
            Assert.That(slots.Select(s => s.TimeZone), Is.All.EqualTo("Europe/Berlin"));
        });
    }

    [TestCase("0 9 * *", "Europe/Berlin", true, false)]
    [TestCase("61 9 * * 1", "Europe/Berlin", true, false)]
    [TestCase("0 9 * * 1", "Mars/Olympus_Mons", false, true)]
    [TestCase("0 9 * * 1", "Eastern Standard Time", false, true)]
    public void Invalid_cron_or_zone_is_refused_with_the_reason(string cron, string zone, bool cronBad, bool zoneBad)
    {
        var schedule = RecurringSchedule.TryCreate(cron, zone, null, null, [], out var cronError, out var zoneError);

        Assert.Multiple(() =>
        {
            Assert.That(schedule, Is.Null);
            Assert.That(cronError is not null, Is.EqualTo(cronBad));
            Assert.That(zoneError is not null, Is.EqualTo(zoneBad));
        });
    }
}
