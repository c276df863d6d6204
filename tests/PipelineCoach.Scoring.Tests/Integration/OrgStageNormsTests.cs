using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Scoring.PipelineHealth;
using PipelineCoach.Testing;

namespace PipelineCoach.Scoring.Tests.Integration;

/// <summary>
/// Normal stage durations come from the org's own closed deals where there are enough (20 per stage by default), else
/// the scorecard's: the stalled flag judges an open deal against them and its reason quotes the figure used, and a
/// deal scored before the figures moved is judged again by the next daily refresh.
/// </summary>
public sealed class When_the_org_has_its_own_stage_durations
{
    private const string Proactive = "proactive-qualification";
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = TestClock.Start();
    private ScoringHost _scoring = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _scoring = await ScoringHost.StartAsync(new Dictionary<string, string?>
    {
        ["PipelineHealth:EvaluationInterval"] = "00:00:00.200",
        ["Scoring:RescoringPollInterval"] = "00:00:00.200",
    }, _clock);

    [OneTimeTearDown]
    public async Task StopAsync() => await _scoring.DisposeAsync();

    [TearDown]
    public void NoConsumerFaults() => Assert.That(_scoring.Received.Faults, Is.Empty, "consumer exceptions");

    private StageNorms Norms => _scoring.Host.Services.GetRequiredService<StageNorms>();

    /// <summary>A deal won 50 days ago: 3 days in Prospecting, then (if <paramref name="needsAnalysis"/>) 5 days in Needs Analysis, else in Qualification.</summary>
    private static OpportunityChanged ClosedDeal(bool needsAnalysis)
    {
        var id = TestIds.New("006");
        var start = ScoringHost.Now.AddDays(-58);
        var message = ScoringHost.Opportunity(id, ScoringHost.Now, stage: "Closed Won");
        return message with
        {
            Opportunity = message.Opportunity with { IsClosed = true, IsWon = true, CloseDate = ScoringHost.Today.AddDays(-50), CreatedDate = start },
            History = new OpportunityHistorySummary
            {
                CurrentStageEnteredAt = start.AddDays(8),
                StageEnteredAt = new Dictionary<string, DateTimeOffset>
                {
                    ["Prospecting"] = start,
                    [needsAnalysis ? "Needs Analysis" : "Qualification"] = start.AddDays(3),
                    ["Closed Won"] = start.AddDays(8),
                },
            },
        };
    }

    /// <summary>An open deal 12 days into Needs Analysis, where the scorecard says 21 days are normal.</summary>
    private static OpportunityChanged TwelveDaysInNeedsAnalysis()
    {
        var message = ScoringHost.Opportunity(TestIds.New("006"), ScoringHost.Now, stage: "Needs Analysis");
        return message with
        {
            Opportunity = message.Opportunity with { CreatedDate = ScoringHost.Now.AddDays(-30) },
            History = new OpportunityHistorySummary
            {
                CurrentStageEnteredAt = ScoringHost.Now.AddDays(-12),
                StageEnteredAt = new Dictionary<string, DateTimeOffset> { ["Needs Analysis"] = ScoringHost.Now.AddDays(-12) },
            },
        };
    }

    private async Task<JsonNode?> LastScoredAsync(string opportunityId) =>
        (await _scoring.ScoredBodiesAsync(opportunityId)).Select(body => JsonNode.Parse(body)!)
            .LastOrDefault(body => body["scorecardId"]!.GetValue<string>() == Proactive);

    private static bool IsStalled(JsonNode? scored) => scored?["flags"]!.AsArray().Any(flag => flag!.GetValue<string>() == "stalled") == true;

    private async Task<JsonNode> StageDurationAsync(string stage)
    {
        using var client = _scoring.Client(ScoringScopes.Read);
        var durations = (await ScoringHost.JsonAsync(await client.GetAsync("/api/v1/pipeline/stage-durations"))).AsArray();
        return durations.Single(d => d!["stage"]!.GetValue<string>() == stage)!;
    }

    [Test]
    public async Task Should_judge_time_in_stage_against_the_orgs_median_once_a_stage_has_enough_closed_deals()
    {
        // 20 closed deals spent 3 days in Prospecting; only 19 of them went on through Needs Analysis (5 days each).
        for (var i = 0; i < 20; i++)
        {
            await _scoring.PublishAndWaitAsync(ClosedDeal(needsAnalysis: i < 19));
        }

        await Eventually.TrueAsync(() => Norms.Current.DaysByStage.ContainsKey("Prospecting"), "the org's Prospecting figure to be taken");
        Assert.That(Norms.Current.DaysByStage, Is.EquivalentTo(new Dictionary<string, int> { ["Prospecting"] = 3 }), "19 samples are too few for Needs Analysis");
        var thin = await StageDurationAsync("Needs Analysis");
        Assert.That((thin["normalDays"]!.GetValue<int>(), thin["source"]!.GetValue<string>(), thin["samples"]!.GetValue<int>()), Is.EqualTo((21, "scorecard-default", 19)));

        // Too few samples: the scorecard's 21 days stand, and 12 days in the stage is not stalled.
        var early = TwelveDaysInNeedsAnalysis();
        await _scoring.PublishAndWaitAsync(early);
        var earlyScore = await LastScoredAsync(early.OpportunityId);
        Assert.That(earlyScore, Is.Not.Null);
        Assert.That(IsStalled(earlyScore), Is.False, "12 of the scorecard's 21 days");

        // The twentieth sample: Needs Analysis now normally takes the org 5 days.
        await _scoring.PublishAndWaitAsync(ClosedDeal(needsAnalysis: true));
        await Eventually.TrueAsync(() => Norms.Current.DaysByStage.GetValueOrDefault("Needs Analysis") == 5, "the org's Needs Analysis figure to be taken");
        var enough = await StageDurationAsync("Needs Analysis");
        Assert.That((enough["normalDays"]!.GetValue<int>(), enough["source"]!.GetValue<string>(), enough["samples"]!.GetValue<int>()), Is.EqualTo((5, "org-history", 20)));

        var late = TwelveDaysInNeedsAnalysis();
        await _scoring.PublishAndWaitAsync(late);
        var lateScore = await LastScoredAsync(late.OpportunityId);
        Assert.That(IsStalled(lateScore), Is.True, "12 days against the org's 5");
        Assert.That(lateScore!["flagReasons"]!["stalled"]!.GetValue<string>(), Is.EqualTo("Stalled: 12 days in Needs Analysis, where about 5 is normal."));

        // The deal scored before the figure moved is judged again by the next day's refresh, with no change of its own.
        _clock.Advance(TimeSpan.FromDays(1));
        var refreshed = await Eventually.ValueAsync(() => LastScoredAsync(early.OpportunityId), IsStalled, "the daily refresh to judge the earlier deal against the org's figure");
        Assert.That(refreshed!["cause"]!.GetValue<string>(), Is.EqualTo("daily"));
        Assert.That(refreshed["flagReasons"]!["stalled"]!.GetValue<string>(), Is.EqualTo("Stalled: 13 days in Needs Analysis, where about 5 is normal."));
    }
}
