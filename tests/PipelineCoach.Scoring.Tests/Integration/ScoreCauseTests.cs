using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PipelineCoach.Scoring.Scorecards;
using PipelineCoach.Testing;

namespace PipelineCoach.Scoring.Tests.Integration;

/// <summary>
/// Every OpportunityScored says what caused it, so Notifications can digest bulk work (initial load, reconcile
/// catch-up, scorecard activation) instead of announcing each deal.
/// </summary>
public sealed class When_a_score_is_published_it_says_what_caused_it
{
    private ScoringHost _scoring = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _scoring = await ScoringHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _scoring.DisposeAsync();

    [TearDown]
    public void NoConsumerFaults() => Assert.That(_scoring.Received.Faults, Is.Empty, "consumer exceptions");

    private async Task<IReadOnlyList<string?>> CausesAsync(string id) =>
        [.. (await _scoring.ScoredBodiesAsync(id)).Select(body => JsonNode.Parse(body)!["cause"]?.GetValue<string>())];

    [TestCase("webhook", "change")]
    [TestCase("outbound-message", "change")]
    [TestCase("initial-load", "initial-load")]
    [TestCase("reconcile", "reconcile")]
    public async Task Should_name_the_source_of_the_change_it_scored(string source, string cause)
    {
        var id = TestIds.New("006");
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, ScoringHost.Now) with { Source = source });

        Assert.That(await CausesAsync(id), Is.EqualTo(new[] { cause }));
    }

    [Test]
    public async Task Should_say_a_manager_override_caused_it()
    {
        var id = TestIds.New("006");
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, ScoringHost.Now));
        using var manager = _scoring.Client(ScoringScopes.Write, ScoringScopes.Read);
        var url = $"/api/v1/opportunities/{id}/score/override";

        Assert.That((await manager.PostAsJsonAsync(url, new { score = 85, reason = "CFO confirmed budget" })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await manager.DeleteAsync(url)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        Assert.That(await CausesAsync(id), Is.EqualTo(new[] { "change", "override", "override" }));
    }

    [Test]
    public async Task Should_tell_the_rescoring_of_an_activation_apart()
    {
        var id = TestIds.New("006");
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, ScoringHost.Now));
        Assert.That(await CausesAsync(id), Is.EqualTo(new[] { "change" }));

        // v2 moves points from the met multi-threading criterion to the unmet close-date one: 40 becomes 30.
        using var admin = _scoring.Client(ScoringScopes.Admin, ScoringScopes.Read);
        var v2 = DefaultScorecards.ProactiveQualification with
        {
            Version = 2,
            Criteria = [.. DefaultScorecards.ProactiveQualification.Criteria.Select(c => c.Id switch
            {
                "multi-threaded" => c with { Weight = c.Weight - 10 },
                "customer-close-date" => c with { Weight = c.Weight + 10 },
                _ => c,
            })],
        };
        var created = await admin.PostAsync("/api/v1/scorecards",
            new StringContent(ScorecardJson.Serialize(v2), System.Text.Encoding.UTF8, "application/json"));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var accepted = await admin.PostAsync("/api/v1/scorecards/proactive-qualification/versions/2/activate", null);
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var job = await Eventually.ValueAsync(async () => await ScoringHost.JsonAsync(await admin.GetAsync(accepted.Headers.Location!.ToString())),
            j => j["status"]!.GetValue<string>() is "completed" or "failed", "the rescoring job to finish");
        Assert.That(job["status"]!.GetValue<string>(), Is.EqualTo("completed"), job.ToJsonString());

        var published = (await _scoring.ScoredBodiesAsync(id)).Select(body => JsonNode.Parse(body)!).ToList();
        Assert.That(published, Has.Count.EqualTo(2));
        Assert.That((published[1]["score"]!.GetValue<int>(), published[1]["scorecardVersion"]!.GetValue<int>()), Is.EqualTo((30, 2)));
        Assert.That(published[1]["cause"]!.GetValue<string>(), Is.EqualTo("activation"));
    }
}
