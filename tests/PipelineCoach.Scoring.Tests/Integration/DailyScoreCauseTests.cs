using System.Text.Json.Nodes;
using PipelineCoach.Testing;

namespace PipelineCoach.Scoring.Tests.Integration;

/// <summary>A deal that ages into a flag overnight is published by the daily refresh, which says so: not bulk work.</summary>
public sealed class When_the_daily_refresh_changes_a_score
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = TestClock.Start();
    private ScoringHost _scoring = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _scoring = await ScoringHost.StartAsync(
        new Dictionary<string, string?> { ["Scoring:RescoringPollInterval"] = "00:00:00.200" }, _clock);

    [OneTimeTearDown]
    public async Task StopAsync() => await _scoring.DisposeAsync();

    [Test]
    public async Task Should_say_the_daily_refresh_caused_it()
    {
        var id = TestIds.New("006");
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, ScoringHost.Now, stage: "Qualification"));
        await Eventually.TrueAsync(async () => await _scoring.ScalarAsync<long>(
            "SELECT count(*) FROM rescoring_jobs WHERE reason = 'daily' AND day = @day AND status = 'completed'", new { day = ScoringHost.Today }) > 0,
            "today's refresh to complete");
        Assert.That(await _scoring.ScoredMessagesAsync(id), Is.EqualTo(1), "same day, nothing aged");

        // Two days in Qualification (normal 14): 27 days later it has stalled, with no change of its own.
        _clock.Advance(TimeSpan.FromDays(27));

        // Retention may delete the first score's dispatched outbox row once the clock has moved on; the aged score is the newest.
        var published = await Eventually.ValueAsync(
            async () => (await _scoring.ScoredBodiesAsync(id)).Select(body => JsonNode.Parse(body)!).LastOrDefault(),
            body => body?["flags"]!.AsArray().Any(f => f!.GetValue<string>() == "stalled") == true, "the refresh to publish the aged score");
        Assert.That(published!["cause"]!.GetValue<string>(), Is.EqualTo("daily"));
    }
}
