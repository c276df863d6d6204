using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;
using PipelineCoach.Testing;

namespace PipelineCoach.Scoring.Tests.Integration;

/// <summary>Scorecard versions, validation, activation rescoring, preview and manager overrides, through HTTP.</summary>
public sealed class When_scorecards_are_managed_through_the_api
{
    private ScoringHost _scoring = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _scoring = await ScoringHost.StartAsync(new Dictionary<string, string?>
    {
        ["Scoring:RescoringChunkSize"] = "100",
        ["Scoring:RescoringPollInterval"] = "00:00:00.200",
    });

    [OneTimeTearDown]
    public async Task StopAsync() => await _scoring.DisposeAsync();

    [TearDown]
    public void NoConsumerFaults() => Assert.That(_scoring.Received.Faults, Is.Empty, "consumer exceptions");

    private static string Json(Scorecard scorecard) => ScorecardJson.Serialize(scorecard);

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    [Test]
    public async Task Should_seed_the_default_scorecards_with_proactive_qualification_active()
    {
        using var client = _scoring.Client(ScoringScopes.Read);
        var all = new List<JsonNode>();
        string? cursor = null;
        do
        {
            var page = await ScoringHost.JsonAsync(await client.GetAsync($"/api/v1/scorecards?limit=1{(cursor is null ? "" : $"&cursor={cursor}")}"));
            all.AddRange(page["items"]!.AsArray().Select(item => item!));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.That(all.Select(s => s["id"]!.GetValue<string>()), Is.Ordered.And.Contains("meddicc").And.Contains("proactive-qualification"));
        Assert.That(all.Single(s => s["id"]!.GetValue<string>() == "meddicc")["activeVersion"], Is.Null);
        Assert.That(all.Single(s => s["id"]!.GetValue<string>() == "proactive-qualification")["activeVersion"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_reject_an_invalid_scorecard_naming_each_error()
    {
        using var client = _scoring.Client(ScoringScopes.Admin);
        var json = Json(DefaultScorecards.Meddicc with
        {
            Id = "broken",
            Criteria = [.. DefaultScorecards.Meddicc.Criteria.Select((c, i) => i == 0 ? c with { Weight = 10, ExpectedFromStage = "Proposal" } : c)],
        });

        var response = await client.PostAsync("/api/v1/scorecards", JsonContent(json));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await ScoringHost.JsonAsync(response))["errors"]!.AsObject();
        Assert.That(errors.Select(e => e.Key), Is.SupersetOf(new[] { "criteria", "criteria[0].expectedFromStage" }));
        Assert.That(errors["criteria"]!.AsArray().Select(e => e!.GetValue<string>()), Has.Some.Contains("add up to 95"));
    }

    [Test]
    public async Task Should_report_malformed_json_with_its_path()
    {
        using var client = _scoring.Client(ScoringScopes.Admin);
        var response = await client.PostAsync("/api/v1/scorecards", JsonContent("""{ "id": "x", "version": "two" }"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ScoringHost.JsonAsync(response))["errors"]!.AsObject().Select(e => e.Key), Has.Member("version"));
    }

    [Test]
    public async Task Should_keep_versions_immutable_and_require_the_admin_scope()
    {
        using var admin = _scoring.Client(ScoringScopes.Admin, ScoringScopes.Read);
        using var reader = _scoring.Client(ScoringScopes.Read);
        var json = Json(DefaultScorecards.Meddicc with { Id = "meddicc-copy", Version = 1 });

        Assert.That((await reader.PostAsync("/api/v1/scorecards", JsonContent(json))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await admin.PostAsync("/api/v1/scorecards", JsonContent(json))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await admin.PostAsync("/api/v1/scorecards", JsonContent(json))).StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await admin.PostAsync("/api/v1/scorecards", JsonContent(Json(DefaultScorecards.Meddicc with { Id = "meddicc-copy", Version = 2, Name = "v2" })))).StatusCode,
            Is.EqualTo(HttpStatusCode.Created));

        var versions = (await ScoringHost.JsonAsync(await reader.GetAsync("/api/v1/scorecards/meddicc-copy/versions"))).AsArray();
        Assert.That(versions.Select(v => v!["version"]!.GetValue<int>()), Is.EqualTo(new[] { 1, 2 }));
        var latest = await ScoringHost.JsonAsync(await reader.GetAsync("/api/v1/scorecards/meddicc-copy"));
        Assert.That(latest["definition"]!["name"]!.GetValue<string>(), Is.EqualTo("v2"));
    }

    [Test]
    public async Task Should_preview_what_if_without_storing_anything()
    {
        var id = TestIds.New("006");
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, ScoringHost.Now));
        var historyBefore = await _scoring.ScalarAsync<long>("SELECT count(*) FROM score_history");
        using var client = _scoring.Client(ScoringScopes.Read);

        var response = await client.PostAsJsonAsync("/api/v1/scorecards/proactive-qualification/preview",
            new { opportunityId = id, overrides = new Dictionary<string, object?> { ["Compelling_Event_Date__c"] = "2030-01-31", ["NextStep"] = null } });

        var preview = await ScoringHost.JsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), preview.ToJsonString());
        Assert.That(preview["score"]!.GetValue<int>(), Is.EqualTo(40), "customer close date gained, dated next step lost");
        Assert.That(await _scoring.ScalarAsync<int>("SELECT score FROM scores WHERE opportunity_id = @id", new { id }), Is.EqualTo(40));
        Assert.That(await _scoring.ScalarAsync<long>("SELECT count(*) FROM score_history"), Is.EqualTo(historyBefore));

        var posted = await client.PostAsJsonAsync("/api/v1/scorecards/meddicc/preview",
            new { opportunity = ScoringHost.Opportunity(id, ScoringHost.Now).Opportunity, overrides = new Dictionary<string, object?> { ["Nope"] = 1 } });
        Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ScoringHost.JsonAsync(posted))["errors"]!.AsObject().Select(e => e.Key), Has.Member("overrides.Nope"));
    }

    [Test]
    public async Task Should_rescore_every_open_opportunity_when_a_version_is_activated()
    {
        var ids = Enumerable.Range(0, 250).Select(_ => TestIds.New("006")).ToList();
        var now = ScoringHost.Now;
        foreach (var id in ids)
        {
            await _scoring.Bus.Publish(ScoringHost.Opportunity(id, now));
        }

        await Eventually.TrueAsync(async () => await _scoring.ScalarAsync<long>("SELECT count(*) FROM scores WHERE opportunity_id = ANY(@ids)", new { ids = ids.ToArray() }) == ids.Count,
            "the opportunities to be scored");
        var open = await _scoring.ScalarAsync<long>("SELECT count(*) FROM opportunities WHERE NOT is_deleted AND NOT is_closed");

        // v2 gives the multi-threading criterion's points to the next step: 40 stays 40, but the reasons differ.
        using var admin = _scoring.Client(ScoringScopes.Admin, ScoringScopes.Read);
        var v2 = DefaultScorecards.ProactiveQualification with
        {
            Version = 2,
            Criteria = [.. DefaultScorecards.ProactiveQualification.Criteria.Select(c => c.Id switch
            {
                "multi-threaded" => c with { Weight = 10 },
                "dated-next-step" => c with { Weight = 30 },
                _ => c,
            })],
        };
        Assert.That((await admin.PostAsync("/api/v1/scorecards", JsonContent(Json(v2)))).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var accepted = await admin.PostAsync("/api/v1/scorecards/proactive-qualification/versions/2/activate", null);
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var location = accepted.Headers.Location!.ToString();
        var job = await Eventually.ValueAsync(async () => await ScoringHost.JsonAsync(await admin.GetAsync(location)),
            j => j["status"]!.GetValue<string>() is "completed" or "failed", "the rescoring job to finish");

        Assert.That(job["status"]!.GetValue<string>(), Is.EqualTo("completed"), job.ToJsonString());
        Assert.That(job["total"]!.GetValue<int>(), Is.EqualTo(open));
        Assert.That(job["processed"]!.GetValue<int>(), Is.EqualTo(open));
        Assert.That(await _scoring.ScalarAsync<long>(
            "SELECT count(*) FROM scores WHERE opportunity_id = ANY(@ids) AND scorecard_version = 2 AND score = 40", new { ids = ids.ToArray() }), Is.EqualTo(ids.Count));
        Assert.That(job["changed"]!.GetValue<int>(), Is.Zero, "same scores, grades and flags: nothing to announce");

        // Back to v1 for the other tests, and a new opportunity is scored with the active version.
        Assert.That((await admin.PostAsync("/api/v1/scorecards/proactive-qualification/versions/1/activate", null)).StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That((await admin.PostAsync("/api/v1/scorecards/proactive-qualification/versions/9/activate", null)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Should_let_a_manager_override_a_score_with_a_reason_that_later_changes_do_not_explain_away()
    {
        var id = TestIds.New("006");
        var now = ScoringHost.Now;
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, now));
        using var manager = _scoring.Client(ScoringScopes.Write, ScoringScopes.Read);
        using var reader = _scoring.Client(ScoringScopes.Read);
        var url = $"/api/v1/opportunities/{id}/score/override";

        Assert.That((await reader.PostAsJsonAsync(url, new { score = 85, reason = "x" })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var missingReason = await manager.PostAsJsonAsync(url, new { score = 185 });
        Assert.That(missingReason.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ScoringHost.JsonAsync(missingReason))["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "score", "reason" }));

        var ok = await manager.PostAsJsonAsync(url, new { score = 85, reason = "CFO confirmed budget on the call" });
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var published = (await _scoring.ScoredBodiesAsync(id)).Select(b => JsonNode.Parse(b)!).ToList();
        Assert.That(published, Has.Count.EqualTo(2));
        Assert.That(published[1]["isOverride"]!.GetValue<bool>(), Is.True);
        Assert.That(published[1]["score"]!.GetValue<int>(), Is.EqualTo(85));
        Assert.That(published[1]["grade"]!.GetValue<string>(), Is.EqualTo("A"));
        Assert.That(published[1]["changes"]!.AsArray().Single()!.GetValue<string>(), Does.Contain("CFO confirmed budget").And.Contain("test-user"));
        Assert.That((published[1]["readiness"]!.GetValue<string>(), published[1]["missingNow"]!.AsArray().Count), Is.EqualTo(("behind", 3)),
            "an override does not hide what the deal still misses");

        // The computed score changes underneath; what others see stays the manager's call.
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, now.AddMinutes(1), fields: new Dictionary<string, string?> { ["Compelling_Event_Date__c"] = "2030-01-31" }));
        var score = (await ScoringHost.JsonAsync(await reader.GetAsync($"/api/v1/opportunities/{id}/score")))["scores"]!.AsArray().Single()!;
        Assert.That(score["score"]!.GetValue<int>(), Is.EqualTo(85));
        Assert.That(score["computedScore"]!.GetValue<int>(), Is.EqualTo(60));
        Assert.That(score["override"]!["reason"]!.GetValue<string>(), Is.EqualTo("CFO confirmed budget on the call"));
        // What is missing now changed (the customer-driven date is in place), so that is news, still at the manager's score.
        var held = (await _scoring.ScoredBodiesAsync(id)).Select(b => JsonNode.Parse(b)!).ToList();
        Assert.That(held, Has.Count.EqualTo(3));
        Assert.That((held[2]["score"]!.GetValue<int>(), held[2]["isOverride"]!.GetValue<bool>()), Is.EqualTo((85, true)));
        Assert.That(held[2]["changes"]!.AsArray()[0]!.GetValue<string>(), Does.StartWith("Score held at the manager override 85"));

        var audit = await _scoring.QueryAsync<(string Kind, string? Actor, string? Detail)>(
            "SELECT kind, actor, detail::text FROM score_history WHERE opportunity_id = @id AND kind = 'override'", new { id });
        Assert.That(audit.Single(), Is.EqualTo(("override", (string?)"test-user", (string?)null)), "audited, and never explained by criteria");

        Assert.That((await manager.DeleteAsync(url)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var removed = JsonNode.Parse((await _scoring.ScoredBodiesAsync(id))[^1])!;
        Assert.That((removed["score"]!.GetValue<int>(), removed["isOverride"]!.GetValue<bool>()), Is.EqualTo((60, false)));
    }
}

/// <summary>The backtest endpoint replays closed deals as they last looked while open.</summary>
public sealed class When_a_scorecard_is_backtested
{
    private ScoringHost _scoring = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _scoring = await ScoringHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _scoring.DisposeAsync();

    private async Task CloseAsync(bool won, bool qualified)
    {
        var id = TestIds.New("006");
        var now = ScoringHost.Now;
        var fields = qualified
            ? new Dictionary<string, string?> { ["Compelling_Event_Date__c"] = "2030-01-31", ["Identified_Pain__c"] = "Churn", ["Decision_Process__c"] = "Board", ["Decision_Criteria__c"] = "ROI" }
            : new Dictionary<string, string?>();
        var open = ScoringHost.Opportunity(id, now.AddDays(-1), fields: fields);
        await _scoring.PublishAndWaitAsync(open);
        // Closing clears qualification fields in this org: the backtest must still see the open snapshot.
        await _scoring.PublishAndWaitAsync(open with
        {
            SourceVersion = now,
            Opportunity = open.Opportunity with
            {
                StageName = won ? "Closed Won" : "Closed Lost", IsClosed = true, IsWon = won, CloseDate = ScoringHost.Today,
                CustomFields = new Dictionary<string, string?>(),
            },
        });
    }

    [Test]
    public async Task Should_report_win_rate_per_grade_and_brier_scores()
    {
        await CloseAsync(won: true, qualified: true);
        await CloseAsync(won: true, qualified: true);
        await CloseAsync(won: false, qualified: true);
        await CloseAsync(won: false, qualified: false);
        await CloseAsync(won: false, qualified: false);
        using var client = _scoring.Client(ScoringScopes.Read);

        var report = await ScoringHost.JsonAsync(await client.GetAsync("/api/v1/scorecards/proactive-qualification/backtest"));

        Assert.That((report["deals"]!.GetValue<int>(), report["won"]!.GetValue<int>()), Is.EqualTo((5, 2)));
        var grades = report["grades"]!.AsArray().ToDictionary(g => g!["grade"]!.GetValue<string>(), g => g!);
        Assert.That((grades["A"]["deals"]!.GetValue<int>(), grades["A"]["won"]!.GetValue<int>()), Is.EqualTo((3, 2)), "qualified deals scored 100 while open");
        Assert.That((grades["C"]["deals"]!.GetValue<int>(), grades["C"]["won"]!.GetValue<int>()), Is.EqualTo((2, 0)));
        // Stated probabilities A 0.5, C 0.15: (3 × 0.25 + 2 × 0.0225) / 5.
        Assert.That(report["brierStated"]!.GetValue<double>(), Is.EqualTo(0.159).Within(1e-9));
        Assert.That(report["separation"]!.GetValue<double>(), Is.EqualTo(5.0 / 6).Within(1e-9), "one tie among six won/lost pairs");
        Assert.That((await client.GetAsync("/api/v1/scorecards/nope/backtest")).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
    }
}

/// <summary>Rescoring jobs survive a dead worker, and a daily refresh keeps as-of scores current.</summary>
public sealed class When_rescoring_jobs_run_unattended
{
    private ScoringHost _scoring = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _scoring = await ScoringHost.StartAsync(new Dictionary<string, string?>
    {
        ["Scoring:RescoringPollInterval"] = "00:00:00.200",
        ["Scoring:RescoringStaleAfter"] = "00:00:01",
    });

    [OneTimeTearDown]
    public async Task StopAsync() => await _scoring.DisposeAsync();

    [Test]
    public async Task Should_queue_one_refresh_per_active_scorecard_and_day()
    {
        var jobs = await Eventually.ValueAsync(
            () => _scoring.QueryAsync<(string ScorecardId, string Status)>("SELECT scorecard_id, status FROM rescoring_jobs WHERE reason = 'daily' AND day = @day",
                new { day = ScoringHost.Today }),
            rows => rows.Count > 0 && rows.All(r => r.Status == "completed"), "today's refresh to complete");
        Assert.That(jobs.Select(j => j.ScorecardId), Is.EqualTo(new[] { "proactive-qualification" }));
    }

    [Test]
    public async Task Should_take_over_a_job_whose_worker_stopped_reporting()
    {
        var id = TestIds.New("006");
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, ScoringHost.Now));
        var jobId = Guid.NewGuid();
        await _scoring.ScalarAsync<int>(
            """
            INSERT INTO rescoring_jobs (id, scorecard_id, scorecard_version, status, started_at, heartbeat_at, processed)
            VALUES (@jobId, 'proactive-qualification', 1, 'running', now() - interval '1 hour', now() - interval '1 hour', 7)
            """, new { jobId });

        var (status, processed, total) = await Eventually.ValueAsync(
            async () => (await _scoring.QueryAsync<(string, int, int)>("SELECT status, processed, total FROM rescoring_jobs WHERE id = @jobId", new { jobId })).Single(),
            job => job.Item1 == "completed", "the abandoned job to be taken over");
        Assert.That(processed, Is.EqualTo(total), "counted from scratch, not on top of the dead worker's progress");
        Assert.That(total, Is.GreaterThanOrEqualTo(1));
    }
}
