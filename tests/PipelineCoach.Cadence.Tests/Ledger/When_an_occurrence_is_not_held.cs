using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Contracts.Cadence;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests.Ledger;

/// <summary>A due occurrence neither held nor skipped within its window becomes missed, announced once.</summary>
public sealed class When_an_occurrence_is_not_held
{
    [Test]
    public async Task Should_mark_it_missed_once_its_window_passes_and_announce_it_once()
    {
        var clock = TestClock.Start();
        await using var missedProbe = await QueueProbe<CadenceOccurrenceMissed>.StartAsync();
        await using var cadence = await LedgerHost.StartAsync(clock);
        var id = await cadence.AddCadenceAsync(new CadenceDefinition
        {
            Kind = CadenceKinds.WeeklyPipelineReview, Name = "Weekly review — Central",
            Schedule = new ScheduleSpec("0 15 * * 3", "UTC"),
            Target = new TargetSpec(TargetSpec.Team, ManagerId: "005000000000W01AAA"),
            DurationMinutes = 45,
            CompletionWindowMinutes = 120,
        }, clock.GetUtcNow());
        var slots = await Eventually.ValueAsync(() => cadence.OccurrencesAsync(id), r => r.Count == 1, "this week's slot");
        Assert.That(slots[0].DueBy, Is.EqualTo(new DateTime(2026, 11, 25, 17, 0, 0)), "start plus the completion window");

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 15, 0, 1, TimeSpan.Zero));
        await Eventually.TrueAsync(async () => (await cadence.OccurrencesAsync(id))[0].Status == "due", "the review to come due");
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 16, 59, 0, TimeSpan.Zero));
        Assert.That(missedProbe.Matching(m => m.CadenceId == id.ToString()), Is.Empty, "still inside the window");

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 17, 0, 1, TimeSpan.Zero));
        var missed = await missedProbe.WaitForAsync(m => m.CadenceId == id.ToString(), "the missed announcement");
        Assert.That(missed.Message.OccurrenceId, Is.EqualTo(slots[0].Id.ToString()));
        Assert.That(missed.Message.AssigneeId, Is.EqualTo("005000000000W01AAA"));
        Assert.That(missed.Message.CadenceName, Is.EqualTo("Weekly review — Central"));
        Assert.That(missed.Message.DueBy, Is.EqualTo(new DateTimeOffset(2026, 11, 25, 17, 0, 0, TimeSpan.Zero)));
        var row = (await cadence.OccurrencesAsync(id))[0];
        Assert.That((row.Status, row.StatusReason), Is.EqualTo(("missed", (string?)"window-elapsed")));

        clock.Advance(TimeSpan.FromDays(1));
        await Eventually.TrueAsync(async () => (await cadence.OccurrencesAsync(id)).Count == 2, "the horizon to move on");
        Assert.That(missedProbe.Matching(m => m.CadenceId == id.ToString()), Has.Count.EqualTo(1), "announced once");
    }
}
