using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Scoring.PipelineHealth;
using PipelineCoach.Testing;

namespace PipelineCoach.Scoring.Tests.Integration;

/// <summary>Quotas, target accounts, the team from UserChanged, health through the API and PipelineHealthChanged announced once.</summary>
public sealed class When_pipeline_health_is_tracked
{
    private ScoringHost _scoring = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _scoring = await ScoringHost.StartAsync(new Dictionary<string, string?>
    {
        ["PipelineHealth:EvaluationInterval"] = "00:00:00.300",
    });

    [OneTimeTearDown]
    public async Task StopAsync() => await _scoring.DisposeAsync();

    [TearDown]
    public void NoConsumerFaults() => Assert.That(_scoring.Received.Faults, Is.Empty, "consumer exceptions");

    private static readonly FiscalPeriod Current = FiscalPeriod.Containing(ScoringHost.Today, 1);

    private Task<IReadOnlyList<string>> AnnouncementsAsync(string subjectId) => _scoring.QueryAsync<string>(
        "SELECT body FROM outbox_entries WHERE message_type LIKE 'PipelineCoach.Contracts.Scoring.PipelineHealthChanged,%' AND body::jsonb->>'subjectId' = @subjectId ORDER BY id",
        new { subjectId });

    private async Task QualifiedDealAsync(string ownerId, decimal amount)
    {
        var id = TestIds.New("006");
        var message = ScoringHost.Opportunity(id, ScoringHost.Now, stage: "Qualification", ownerId: ownerId, amount: amount,
            fields: new Dictionary<string, string?> { ["Compelling_Event_Date__c"] = "2030-01-31" });
        await _scoring.PublishAndWaitAsync(message with { Opportunity = message.Opportunity with { CloseDate = Current.End } });
    }

    [Test]
    public async Task Should_announce_coverage_below_target_once_and_once_when_it_clears()
    {
        var manager = TestIds.New("005");
        var rep = TestIds.New("005");
        await _scoring.PublishAndWaitAsync(new UserChanged
        {
            UserId = rep, OrganizationId = ScoringHost.Organization, SourceVersion = ScoringHost.Now, OccurredAt = ScoringHost.Now, ManagerId = manager, Name = "Rep",
        });
        using var client = _scoring.Client(ScoringScopes.Write, ScoringScopes.Read);
        // The deal first: without a quota there is no coverage to judge, so nothing is announced before the quota is set.
        await QualifiedDealAsync(rep, 100_000);
        Assert.That((await client.PutAsJsonAsync($"/api/v1/quotas/{rep}/{Current.Name}", new { amount = 100_000 })).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var raised = await Eventually.ValueAsync(() => AnnouncementsAsync(rep), bodies => bodies.Any(b => b.Contains("coverage-below-target", StringComparison.Ordinal)), "coverage to be announced");
        var message = JsonNode.Parse(raised.Single(b => b.Contains("coverage-below-target", StringComparison.Ordinal)))!;
        Assert.That(message["businessKey"]!.GetValue<string>(), Is.EqualTo($"coverage-below-target:rep:{rep}:{Current.Name}"));
        Assert.That(message["isRaised"]!.GetValue<bool>(), Is.True);
        Assert.That((message["value"]!.GetValue<decimal>(), message["threshold"]!.GetValue<decimal>()), Is.EqualTo((1.0m, 3.0m)));

        // The team (from UserChanged) is below target too, announced under its own key.
        await Eventually.TrueAsync(async () => (await AnnouncementsAsync(manager)).Any(b => b.Contains($"coverage-below-target:team:{manager}", StringComparison.Ordinal)), "the team's coverage");

        await QualifiedDealAsync(rep, 250_000);
        var cleared = await Eventually.ValueAsync(() => AnnouncementsAsync(rep),
            bodies => bodies.Count(b => b.Contains("coverage-below-target", StringComparison.Ordinal)) == 2, "coverage to clear");
        Assert.That(JsonNode.Parse(cleared.Last(b => b.Contains("coverage-below-target", StringComparison.Ordinal)))!["isRaised"]!.GetValue<bool>(), Is.False);

        var report = await ScoringHost.JsonAsync(await client.GetAsync($"/api/v1/pipeline/health?ownerId={rep}&period={Current.Name}"));
        Assert.That(report["coverage"]!["ratio"]!.GetValue<decimal>(), Is.EqualTo(3.5m));
        Assert.That(report["coverage"]!["qualifiedPipeline"]!.GetValue<decimal>(), Is.EqualTo(350_000m));

        var team = await ScoringHost.JsonAsync(await client.GetAsync($"/api/v1/pipeline/health?managerId={manager}"));
        Assert.That(team["reps"]!.AsArray().Select(r => r!["subjectId"]!.GetValue<string>()), Is.EqualTo(new[] { rep }));
        Assert.That(team["team"]!["coverage"]!["quota"]!.GetValue<decimal>(), Is.EqualTo(100_000m));
    }

    [Test]
    public async Task Should_manage_a_reps_target_accounts_and_report_their_coverage()
    {
        var rep = TestIds.New("005");
        using var client = _scoring.Client(ScoringScopes.Write, ScoringScopes.Read);
        await QualifiedDealAsync(rep, 10_000);
        var url = $"/api/v1/reps/{rep}/target-accounts";

        var tooMany = await client.PutAsJsonAsync(url, new { accounts = Enumerable.Range(0, 51).Select(i => new { accountId = $"001{i:D15}" }) });
        Assert.That(tooMany.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await client.PutAsJsonAsync(url, new { accounts = new[] { new { accountId = "001000000000001AAA", name = "Acme" }, new { accountId = "001000000000009AAA", name = "Globex" } } })).StatusCode,
            Is.EqualTo(HttpStatusCode.OK));

        var listed = (await ScoringHost.JsonAsync(await client.GetAsync(url))).AsArray();
        Assert.That(listed.Select(a => a!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "Acme", "Globex" }));
        var report = await ScoringHost.JsonAsync(await client.GetAsync($"/api/v1/pipeline/health?ownerId={rep}"));
        Assert.That(report["targetAccounts"]!["covered"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(report["targetAccounts"]!["uncovered"]!.AsArray().Single()!.GetValue<string>(), Is.EqualTo("001000000000009AAA"));
        Assert.That(report["earlyStage"]!["share"]!.GetValue<decimal>(), Is.EqualTo(1.0m), "Qualification is an early stage");
    }

    [Test]
    public async Task Should_announce_uncovered_target_accounts_and_thin_early_stages_with_reasons_in_words()
    {
        var rep = TestIds.New("005");
        using var client = _scoring.Client(ScoringScopes.Write, ScoringScopes.Read);
        var id = TestIds.New("006");
        // One open deal, at Proposal (not an early stage), on an account that is not a target.
        await _scoring.PublishAndWaitAsync(ScoringHost.Opportunity(id, ScoringHost.Now, stage: "Proposal/Price Quote", ownerId: rep, amount: 80_000));
        Assert.That((await client.PutAsJsonAsync($"/api/v1/reps/{rep}/target-accounts", new
        {
            accounts = new[] { new { accountId = "001000000000007AAA", name = "Initech" }, new { accountId = "001000000000008AAA", name = "Umbrella" } },
        })).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var bodies = await Eventually.ValueAsync(() => AnnouncementsAsync(rep),
            all => all.Any(b => b.Contains("target-accounts-uncovered", StringComparison.Ordinal)) && all.Any(b => b.Contains("early-stage-thin", StringComparison.Ordinal)),
            "both conditions to be announced");
        var targets = JsonNode.Parse(bodies.Single(b => b.Contains("target-accounts-uncovered", StringComparison.Ordinal)))!;
        Assert.That(targets["businessKey"]!.GetValue<string>(), Is.EqualTo($"target-accounts-uncovered:rep:{rep}:{Current.Name}"));
        Assert.That((targets["isRaised"]!.GetValue<bool>(), targets["value"]!.GetValue<decimal>(), targets["threshold"]!.GetValue<decimal>()), Is.EqualTo((true, 0m, 0.5m)));
        Assert.That(targets["reason"]!.GetValue<string>(), Does.EndWith("not covered: Initech, Umbrella"));
        var early = JsonNode.Parse(bodies.Single(b => b.Contains("early-stage-thin", StringComparison.Ordinal)))!;
        Assert.That((early["isRaised"]!.GetValue<bool>(), early["value"]!.GetValue<decimal>()), Is.EqualTo((true, 0m)));
        Assert.That(early["reason"]!.GetValue<string>(), Does.StartWith("only 0 % of open pipeline (0 of 80,000) is in the early stages"));

        // The monitor records the deal's activity day; the report carries next quarter and walk-away discipline.
        await Eventually.TrueAsync(async () => (await _scoring.QueryAsync<DateOnly>("SELECT day FROM activity_days WHERE opportunity_id = @id", new { id })).Contains(ScoringHost.Today),
            "the activity day to be recorded");
        var report = await ScoringHost.JsonAsync(await client.GetAsync($"/api/v1/pipeline/health?ownerId={rep}"));
        Assert.That(report["nextPeriod"]!.GetValue<string>(), Is.EqualTo(FiscalPeriod.Containing(Current.End.AddDays(1), 1).Name));
        Assert.That(report["nextQuarterCoverage"]!["openPipeline"]!.GetValue<decimal>(), Is.EqualTo(Current.Contains(ScoringHost.Today.AddDays(60)) ? 0m : 80_000m));
        Assert.That(report["walkAway"]!["lost"]!.GetValue<int>(), Is.Zero);
        Assert.That(report["concentration"]!["activityDays"]!.GetValue<int>(), Is.EqualTo(1));

        var durations = (await ScoringHost.JsonAsync(await client.GetAsync("/api/v1/pipeline/stage-durations"))).AsArray();
        Assert.That(durations.Select(d => d!["stage"]!.GetValue<string>()), Does.Contain("Needs Analysis"));
        Assert.That(durations.Single(d => d!["stage"]!.GetValue<string>() == "Needs Analysis")!["normalDays"]!.GetValue<int>(), Is.EqualTo(21), "too few closed deals: the scorecard's");
    }

    [Test]
    public async Task Should_validate_health_and_quota_requests()
    {
        using var client = _scoring.Client(ScoringScopes.Write, ScoringScopes.Read);
        using var reader = _scoring.Client(ScoringScopes.Read);
        var rep = TestIds.New("005");

        Assert.That((await client.GetAsync("/api/v1/pipeline/health")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await client.GetAsync($"/api/v1/pipeline/health?ownerId={rep}&period=Q4")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await client.PutAsJsonAsync($"/api/v1/quotas/{rep}/2026-Q9", new { amount = 1 })).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var negative = await client.PutAsJsonAsync($"/api/v1/quotas/{rep}/{Current.Name}", new { amount = -1 });
        Assert.That((await ScoringHost.JsonAsync(negative))["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "amount" }));
        Assert.That((await reader.PutAsJsonAsync($"/api/v1/quotas/{rep}/{Current.Name}", new { amount = 1 })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await _scoring.Client().GetAsync($"/api/v1/pipeline/health?ownerId={rep}")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
