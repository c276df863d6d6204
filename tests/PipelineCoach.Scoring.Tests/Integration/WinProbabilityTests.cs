using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PipelineCoach.Scoring.Backtest;
using PipelineCoach.Testing;

namespace PipelineCoach.Scoring.Tests.Integration;

/// <summary>
/// The score API's win probability through HTTP: estimated for the deal's stage where that stage has enough closed
/// deals of the grade, else for the grade, else stated; read from a kept backtest that a request never replays
/// while one is kept, and that is refreshed in the background once it is an hour old.
/// </summary>
public sealed class When_a_score_reads_its_win_probability
{
    private const string DecisionMakers = "Id. Decision Makers";
    private const string Perception = "Perception Analysis";

    private readonly FakeTimeProvider _clock = TestClock.Start();
    private ScoringHost _scoring = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _scoring = await ScoringHost.StartAsync(clock: _clock);

    [OneTimeTearDown]
    public async Task StopAsync() => await _scoring.DisposeAsync();

    [TearDown]
    public void NoConsumerFaults() => Assert.That(_scoring.Received.Faults, Is.Empty, "consumer exceptions");

    /// <summary>Deals seen open at <paramref name="stage"/> (so the backtest replays them there), then closed.</summary>
    private async Task CloseAsync(string stage, int deals, int won)
    {
        var open = Enumerable.Range(0, deals).Select(_ => ScoringHost.Opportunity(TestIds.New("006"), ScoringHost.Now.AddDays(-1), stage)).ToList();
        await Task.WhenAll(open.Select(deal => _scoring.PublishAndWaitAsync(deal)));
        await Task.WhenAll(open.Select((deal, i) => _scoring.PublishAndWaitAsync(deal with
        {
            SourceVersion = ScoringHost.Now,
            Opportunity = deal.Opportunity with
            {
                StageName = i < won ? "Closed Won" : "Closed Lost", IsClosed = true, IsWon = i < won, CloseDate = ScoringHost.Today,
            },
        })));
    }

    private async Task<JsonNode> ScoreAsync(HttpClient client, string id) =>
        (await ScoringHost.JsonAsync(await client.GetAsync($"/api/v1/opportunities/{id}/score")))["scores"]!.AsArray().Single()!;

    private static (string Grade, string? Basis, double? Probability) Read(JsonNode score) =>
        (score["grade"]!.GetValue<string>(), score["winProbabilityBasis"]?.GetValue<string>(), score["winProbability"]?.GetValue<double>());

    [Test]
    public async Task Should_estimate_for_the_stage_where_it_has_enough_closed_deals_of_the_grade_and_for_the_grade_where_not()
    {
        // Both read C (40): multi-threaded and a dated next step, out of everything these stages expect.
        var atDecisionMakers = TestIds.New("006");
        var atPerception = TestIds.New("006");
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(atDecisionMakers, ScoringHost.Now, DecisionMakers));
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(atPerception, ScoringHost.Now, Perception));
        using var client = _scoring.Client(ScoringScopes.Read);
        Assert.That(Read(await ScoreAsync(client, atDecisionMakers)), Is.EqualTo(("C", "stated", (double?)0.15)), "no closed deals yet: the scorecard's figure");

        // 37 closed deals, all C once replayed as they stood open: 12 at Id. Decision Makers, 5 at Perception Analysis.
        await CloseAsync(DecisionMakers, deals: 12, won: 9);
        await CloseAsync("Needs Analysis", deals: 20, won: 4);
        await CloseAsync(Perception, deals: 5, won: 1);
        Assert.That(Read(await ScoreAsync(client, atDecisionMakers)).Basis, Is.EqualTo("stated"), "the kept backtest answers: a request does not replay it");

        _clock.Advance(Calibration.RefreshAfter);
        Assert.That(Read(await ScoreAsync(client, atDecisionMakers)).Basis, Is.EqualTo("stated"), "an hour old, it still answers while it is replayed in the background");
        var forStage = await Eventually.ValueAsync(async () => Read(await ScoreAsync(client, atDecisionMakers)),
            read => read.Basis != "stated", "the refreshed backtest");
        var forGrade = Read(await ScoreAsync(client, atPerception));

        var report = await ScoringHost.JsonAsync(await client.GetAsync("/api/v1/scorecards/proactive-qualification/backtest"));
        var gradeC = report["grades"]!.AsArray().Single(g => g!["grade"]!.GetValue<string>() == "C")!;
        JsonNode Cell(string stage) => report["stages"]!.AsArray().Single(s => s!["stage"]!.GetValue<string>() == stage)!["grades"]!.AsArray()
            .Single(g => g!["grade"]!.GetValue<string>() == "C")!;
        Assert.That((gradeC["deals"]!.GetValue<int>(), gradeC["won"]!.GetValue<int>()), Is.EqualTo((37, 14)));
        Assert.That((Cell(DecisionMakers)["deals"]!.GetValue<int>(), Cell(DecisionMakers)["won"]!.GetValue<int>()), Is.EqualTo((12, 9)));
        Assert.That(Cell(Perception)["deals"]!.GetValue<int>(), Is.EqualTo(5));
        Assert.That(Cell(Perception)["estimatedWinProbability"], Is.Null, "five deals are too few for a stage's own estimate");

        // 9 of 12 won at Id. Decision Makers, shrunk towards grade C's 14 of 37.
        Assert.That(forStage, Is.EqualTo(("C", "estimated-for-stage", (double?)Cell(DecisionMakers)["estimatedWinProbability"]!.GetValue<double>())));
        Assert.That(forStage.Probability, Is.EqualTo((9 + (2 * 14.0 / 37)) / 14).Within(1e-9));
        Assert.That(forGrade, Is.EqualTo(("C", "estimated", (double?)gradeC["estimatedWinProbability"]!.GetValue<double>())));
    }
}
