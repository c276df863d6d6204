using PipelineCoach.Cadence.Schedules;

namespace PipelineCoach.Cadence.Tests.Schedules;

public sealed class When_a_local_day_begins
{
    [TestCase("America/New_York", "2026-11-25", "2026-11-25T05:00:00Z")]
    [TestCase("America/Santiago", "2026-09-06", "2026-09-06T04:00:00Z")] // clocks skip 00:00 → 01:00: the day begins at 01:00 -03
    [TestCase("America/Havana", "2027-03-14", "2027-03-14T05:00:00Z")]   // 00:00 → 01:00 CDT
    [TestCase("Australia/Lord_Howe", "2026-10-04", "2026-10-03T13:30:00Z")]
    public void Should_begin_at_midnight_or_at_the_first_instant_after_a_gap(string zone, string date, string expectedUtc) =>
        Assert.That(LocalDay.Start(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), TimeZoneInfo.FindSystemTimeZoneById(zone)),
            Is.EqualTo(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture)));
}
