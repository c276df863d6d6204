using System.Net;
using System.Text.Json.Nodes;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Testing;

namespace PipelineCoach.Scoring.Tests.Integration;

/// <summary>OpportunityChanged through real RabbitMQ into stored scores, history and OpportunityScored (outbox).</summary>
public sealed class When_opportunity_changes_are_scored
{
    private ScoringHost _scoring = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _scoring = await ScoringHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _scoring.DisposeAsync();

    [TearDown]
    public void NoConsumerFaults() => Assert.That(_scoring.Received.Faults, Is.Empty, "consumer exceptions");

    private static readonly Dictionary<string, string?> CompellingEvent = new() { ["Compelling_Event_Date__c"] = "2030-01-31" };

    private Task<(int Score, string Grade, string Flags, DateTime SourceVersion)> ScoreAsync(string id) =>
        _scoring.QueryAsync<(int, string, string, DateTime)>(
            "SELECT score, grade, array_to_string(flags, ','), source_version FROM scores WHERE opportunity_id = @id AND scorecard_id = 'proactive-qualification'",
            new { id }).ContinueWith(t => t.Result.Single(), TaskScheduler.Default);

    [Test]
    public async Task Should_store_the_first_score_with_history_and_publish_it()
    {
        var id = TestIds.New("006");
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, ScoringHost.Now));

        var (score, grade, flags, _) = await ScoreAsync(id);
        Assert.That((score, grade, flags), Is.EqualTo((40, "C", "")), "multi-threaded and dated next step met");
        Assert.That(await _scoring.ScalarAsync<long>("SELECT count(*) FROM score_history WHERE opportunity_id = @id", new { id }), Is.EqualTo(1));
        var published = JsonNode.Parse((await _scoring.ScoredBodiesAsync(id)).Single())!;
        Assert.That(published["score"]!.GetValue<int>(), Is.EqualTo(40));
        Assert.That(published["previousScore"], Is.Null);
        Assert.That(published["changes"]!.AsArray().Select(c => c!.GetValue<string>()), Has.Some.StartsWith("First score 40, grade C"));
    }

    [Test]
    public async Task Should_publish_only_when_score_grade_or_flags_change()
    {
        var id = TestIds.New("006");
        var now = ScoringHost.Now;
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, now));
        // A newer version that changes nothing the scorecard reads: stored, not news.
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, now.AddMinutes(1)) with { ChangedFields = ["Description"] });
        Assert.That(await _scoring.ScoredMessagesAsync(id), Is.EqualTo(1));
        Assert.That((await ScoreAsync(id)).SourceVersion, Is.EqualTo(now.AddMinutes(1).UtcDateTime).Within(TimeSpan.FromMilliseconds(1)));

        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, now.AddMinutes(2), fields: CompellingEvent));

        Assert.That(await _scoring.ScoredMessagesAsync(id), Is.EqualTo(2));
        var second = JsonNode.Parse((await _scoring.ScoredBodiesAsync(id))[1])!;
        Assert.That(second["score"]!.GetValue<int>(), Is.EqualTo(60));
        Assert.That(second["grade"]!.GetValue<string>(), Is.EqualTo("B"));
        Assert.That(second["previousScore"]!.GetValue<int>(), Is.EqualTo(40));
        Assert.That(second["previousGrade"]!.GetValue<string>(), Is.EqualTo("C"));
        Assert.That(second["changes"]!.AsArray().Select(c => c!.GetValue<string>()),
            Has.Some.Contains("Score 40 → 60, grade C → B").And.Some.Contains("Customer-driven close date is now in place"));
        Assert.That(await _scoring.ScalarAsync<long>("SELECT count(*) FROM score_history WHERE opportunity_id = @id", new { id }), Is.EqualTo(2));
    }

    [Test]
    public async Task Should_never_regress_a_score_when_an_older_snapshot_arrives_late()
    {
        var id = TestIds.New("006");
        var now = ScoringHost.Now;
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, now, fields: CompellingEvent));
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, now.AddMinutes(-10)));

        Assert.That((await ScoreAsync(id)).Score, Is.EqualTo(60));
        Assert.That(await _scoring.ScoredMessagesAsync(id), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_apply_a_duplicate_delivery_once()
    {
        var id = TestIds.New("006");
        var message = ScoringHost.Opportunity(id, ScoringHost.Now);
        var messageId = await _scoring.PublishAndWaitAsync(message);
        await _scoring.PublishAndWaitAsync(message, messageId);

        Assert.That(_scoring.Received.Count(messageId), Is.EqualTo(2), "the broker delivered it twice");
        Assert.That(await _scoring.ScalarAsync<long>("SELECT count(*) FROM score_history WHERE opportunity_id = @id", new { id }), Is.EqualTo(1));
        Assert.That(await _scoring.ScoredMessagesAsync(id), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_not_rescore_the_echo_of_its_own_write_back()
    {
        var id = TestIds.New("006");
        var now = ScoringHost.Now;
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, now));
        // Our write-back echoed, carrying a snapshot that would score differently: not rescored, so no loop.
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, now.AddMinutes(1), fields: CompellingEvent) with
        {
            IsOwnWrite = true,
            ChangedFields = ["Qualification_Score__c", "Qualification_Grade__c", "SystemModstamp", "LastModifiedDate"],
        });
        Assert.That(await _scoring.ScoredMessagesAsync(id), Is.EqualTo(1));
        Assert.That((await ScoreAsync(id)).Score, Is.EqualTo(40));

        // An own write that also changed a field a person edits is rescored as usual.
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, now.AddMinutes(2), fields: CompellingEvent) with
        {
            IsOwnWrite = true,
            ChangedFields = ["Qualification_Score__c", "Compelling_Event_Date__c"],
        });
        Assert.That((await ScoreAsync(id)).Score, Is.EqualTo(60));
        Assert.That(await _scoring.ScoredMessagesAsync(id), Is.EqualTo(2));
    }

    [Test]
    public async Task Should_remove_a_deleted_opportunity_from_scoring()
    {
        var id = TestIds.New("006");
        var now = ScoringHost.Now;
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, now));
        await _scoring.PublishAndWaitAsync(new OpportunityDeleted
        {
            OpportunityId = id, OrganizationId = ScoringHost.Organization, SourceVersion = now.AddMinutes(1), OccurredAt = now.AddMinutes(1), Source = "webhook",
        });
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, now.AddSeconds(30), fields: CompellingEvent));

        Assert.That(await _scoring.ScalarAsync<long>("SELECT count(*) FROM scores WHERE opportunity_id = @id", new { id }), Is.Zero);
        using var client = _scoring.Client(ScoringScopes.Read);
        Assert.That((await client.GetAsync($"/api/v1/opportunities/{id}/score")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Should_explain_the_current_score_and_its_history_through_the_api()
    {
        var id = TestIds.New("006");
        var now = ScoringHost.Now;
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, now));
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, now.AddMinutes(1), fields: CompellingEvent));
        using var client = _scoring.Client(ScoringScopes.Read);

        var body = await ScoringHost.JsonAsync(await client.GetAsync($"/api/v1/opportunities/{id}/score"));
        var score = body["scores"]!.AsArray().Single()!;
        Assert.That(score["score"]!.GetValue<int>(), Is.EqualTo(60));
        var criteria = score["criteria"]!.AsArray();
        Assert.That(criteria, Has.Count.EqualTo(5));
        var customerDriven = criteria.Single(c => c!["id"]!.GetValue<string>() == "customer-close-date")!;
        Assert.That(customerDriven["status"]!.GetValue<string>(), Is.EqualTo("Met"));
        Assert.That(customerDriven["evidence"]!["field"]!.GetValue<string>(), Is.EqualTo("Derived.DaysFromCloseToEvent"));
        Assert.That(customerDriven["reason"]!.GetValue<string>(), Does.StartWith("Customer-driven close date: in place (days from the close date to the compelling event:"));
        Assert.That(score["readiness"]!.GetValue<string>(), Is.EqualTo("behind"));
        // The stated figure where the closed deals other tests left in this database are too few for grade B, labelled so.
        var basis = score["winProbabilityBasis"]!.GetValue<string>();
        Assert.That(basis, Is.AnyOf("stated", "estimated", "estimated-for-stage"));
        Assert.That(score["winProbability"]!.GetValue<double>(), basis == "stated" ? (NUnit.Framework.Constraints.IResolveConstraint)Is.EqualTo(0.3) : Is.InRange(0.0, 1.0));
        Assert.That(score["missingNow"]!.AsArray().Select(m => (m!["criterion"]!.GetValue<string>(), m["prompt"]!.GetValue<string>().Length > 0)),
            Is.EqualTo(new[] { ("executive-priority", true), ("buying-plan", true) }));
        Assert.That(score["flagDetails"]!.AsArray().Select(f => f!["reason"]!.GetValue<string>()), Has.All.Not.Contain("__c"));

        var history = await ScoringHost.JsonAsync(await client.GetAsync($"/api/v1/opportunities/{id}/score/history?limit=1"));
        var newest = history["items"]!.AsArray().Single()!;
        Assert.That(newest["score"]!.GetValue<int>(), Is.EqualTo(60));
        var cursor = history["nextCursor"]!.GetValue<string>();
        var older = await ScoringHost.JsonAsync(await client.GetAsync($"/api/v1/opportunities/{id}/score/history?limit=1&cursor={cursor}"));
        var oldest = older["items"]!.AsArray().Single()!;
        Assert.That(oldest["score"]!.GetValue<int>(), Is.EqualTo(40));
        Assert.That(older["nextCursor"], Is.Null);

        // History stores the breakdown compactly; the API gives it back whole, names and rules from the scorecard version.
        static JsonNode CustomerDriven(JsonNode item) =>
            item["detail"]!["criteria"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == "customer-close-date")!;
        Assert.That(newest["detail"]!["criteria"]!.AsArray(), Has.Count.EqualTo(5));
        Assert.That(CustomerDriven(newest)["status"]!.GetValue<string>(), Is.EqualTo("Met"));
        Assert.That(CustomerDriven(newest)["name"]!.GetValue<string>(), Is.EqualTo(customerDriven["name"]!.GetValue<string>()));
        Assert.That(CustomerDriven(newest)["evidence"]!["field"]!.GetValue<string>(), Is.EqualTo("Derived.DaysFromCloseToEvent"));
        Assert.That(CustomerDriven(newest)["reason"]!.GetValue<string>(), Is.EqualTo(customerDriven["reason"]!.GetValue<string>()));
        Assert.That(CustomerDriven(newest)["evidence"]!["rule"]!.GetValue<string>(), Is.EqualTo(customerDriven["evidence"]!["rule"]!.GetValue<string>()));
        Assert.That(CustomerDriven(oldest)["status"]!.GetValue<string>(), Is.Not.EqualTo("Met"));
        Assert.That(oldest["detail"]!["flags"]!.AsArray(), Has.Count.EqualTo(newest["detail"]!["flags"]!.AsArray().Count));
    }

    [Test]
    public async Task Should_require_a_token_with_the_read_scope()
    {
        using var anonymous = _scoring.Client();
        using var wrongScope = _scoring.Client("sync.read");
        var url = $"/api/v1/opportunities/{TestIds.New("006")}/score";

        Assert.That((await anonymous.GetAsync(url)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await wrongScope.GetAsync(url)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
