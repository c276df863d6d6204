using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests.Ledger;

/// <summary>The ledger's slots across daylight-saving transitions in several zones (the preview shares the same schedule).</summary>
public sealed class When_clocks_change
{
    [TestCase("America/New_York", "30 2 * * *", "2027-03-12T12:00:00Z", "2027-03-14", "2027-03-14T07:00:00Z", "shifted")]
    [TestCase("America/New_York", "30 1 * * *", "2026-10-30T12:00:00Z", "2026-11-01", "2026-11-01T05:30:00Z", "ambiguous")]
    [TestCase("Australia/Sydney", "30 2 * * *", "2027-04-02T00:00:00Z", "2027-04-04", "2027-04-03T15:30:00Z", "ambiguous")]
    [TestCase("Australia/Sydney", "30 2 * * *", "2026-10-02T00:00:00Z", "2026-10-04", "2026-10-03T16:00:00Z", "shifted")]
    [TestCase("Australia/Lord_Howe", "15 2 * * *", "2026-10-02T00:00:00Z", "2026-10-04", "2026-10-03T15:30:00Z", "shifted")]
    [TestCase("Australia/Lord_Howe", "45 1 * * *", "2027-04-02T00:00:00Z", "2027-04-04", "2027-04-03T14:45:00Z", "ambiguous")]
    public async Task Should_fire_a_skipped_time_after_the_gap_and_a_repeated_time_once(
        string zone, string cron, string now, string transitionDay, string expectedUtc, string expectedMark)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));
        await using var cadence = await LedgerHost.StartAsync(clock);
        var id = await cadence.AddCadenceAsync(new CadenceDefinition
        {
            Kind = CadenceKinds.Custom, Name = $"Early call in {zone}",
            Schedule = new ScheduleSpec(cron, zone),
            Target = new TargetSpec(TargetSpec.User, UserId: "005000000000T01AAA"),
        }, clock.GetUtcNow());

        var rows = await Eventually.ValueAsync(() => cadence.OccurrencesAsync(id), r => r.Count >= 5, "the horizon");
        var onTheDay = rows.Where(r => DateOnly.FromDateTime(r.LocalStart).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) == transitionDay).ToList();
        Assert.That(onTheDay, Has.Count.EqualTo(1), "one slot on the transition day, never two");
        Assert.That(onTheDay[0].ScheduledAt, Is.EqualTo(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime));
        Assert.That(onTheDay[0].Dst, Is.EqualTo(expectedMark));
        Assert.That(rows.Where(r => r != onTheDay[0]).Select(r => r.Dst), Has.All.Null, "other days are untouched");
    }
}
