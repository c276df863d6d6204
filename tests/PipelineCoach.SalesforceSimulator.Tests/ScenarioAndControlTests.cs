using System.Net.Http.Json;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.SalesforceSimulator.Scenarios;

namespace PipelineCoach.SalesforceSimulator.Tests;

internal sealed class When_running_the_day_in_the_life : SimulatorFixture
{
    protected override int Opportunities => 1_500;

    [Test]
    public async Task Should_make_rep_edits_that_flow_like_any_other_change()
    {
        var plantedBefore = Host.GroundTruth.Opportunities.Select(s => Host.Org.ReadField("Opportunity", s.Id, "SystemModstamp")).ToList();
        var commitBefore = Host.Writer.Journal().LastOrDefault()?.CommitNumber ?? 0;
        var historyBefore = Host.Org.FindTable("OpportunityHistory")!.Count;

        var report = await Host.Scenario.RunAsync(new ScenarioOptions { Seed = 3, Steps = 60 });
        var changes = Host.Writer.Journal().Where(c => c.CommitNumber > commitBefore).ToList();
        var kinds = report.Actions.Select(a => a.Kind).ToHashSet();

        Assert.Multiple(() =>
        {
            Assert.That(report.Actions, Has.Count.GreaterThan(40));
            Assert.That(kinds, Is.EquivalentTo(new[] { "create-opportunity", "push-close-date", "advance-stage", "add-contact-role", "log-call" }));
            Assert.That(report.QuietRepIds, Is.Not.Empty);
            Assert.That(report.Actions.Select(a => a.RepId), Has.None.AnyOf(report.QuietRepIds.ToArray()));
            Assert.That(changes, Has.Count.EqualTo(report.Actions.Count));
            Assert.That(changes.Select(c => c.ChangeOrigin), Is.All.Empty);
            Assert.That(Host.Org.FindTable("OpportunityHistory")!.Count, Is.GreaterThan(historyBefore));
            Assert.That(Host.GroundTruth.Opportunities.Select(s => Host.Org.ReadField("Opportunity", s.Id, "SystemModstamp")), Is.EqualTo(plantedBefore));
        });
    }

    [Test]
    public async Task Should_run_from_the_control_api()
    {
        using var anonymous = new HttpClient { BaseAddress = Host.BaseUrl };
        using var response = await anonymous.PostAsync("control/scenario/day-in-the-life", Http.Json("""{"seed":9,"steps":10}"""));
        var report = await response.JsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
            Assert.That(report.GetProperty("actions").GetArrayLength(), Is.InRange(1, 10));
        });
    }
}

internal sealed class When_using_the_control_api : SimulatorFixture
{
    private HttpClient control = null!;

    protected override int Opportunities => 200;

    [OneTimeSetUp]
    public void CreateControlClient() => control = new HttpClient { BaseAddress = Host.BaseUrl };

    [OneTimeTearDown]
    public void DisposeControlClient() => control.Dispose();

    [Test]
    public async Task Should_switch_faults_on_and_off()
    {
        using var set = await control.PostAsJsonAsync("control/faults", new { serviceUnavailableBurst = 1, lockRowShare = 0.25, responseDelayMs = 5, duplicateDeliveries = true, reorderDeliveries = true });
        var state = await set.JsonAsync();
        using var unavailable = await Client.GetAsync("services/data/v62.0/limits");
        using var cleared = await control.DeleteAsync("control/faults");
        var after = await cleared.JsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(state.GetProperty("lockRowShare").GetDouble(), Is.EqualTo(0.25));
            Assert.That(state.GetProperty("responseDelayMs").GetInt32(), Is.EqualTo(5));
            Assert.That(state.GetProperty("duplicateDeliveries").GetBoolean(), Is.True);
            Assert.That((int)unavailable.StatusCode, Is.EqualTo(503));
            Assert.That(after.GetProperty("lockRowShare").GetDouble(), Is.Zero);
            Assert.That(after.GetProperty("serviceUnavailableRemaining").GetInt32(), Is.Zero);
        });
    }

    [Test]
    public async Task Should_expire_tokens_and_exhaust_the_allowance()
    {
        using var exhaust = await control.PostAsJsonAsync("control/faults", new { exhaustApiLimit = true });
        using var limited = await Client.GetAsync("services/data/v62.0/limits");
        using var reset = await control.PutAsJsonAsync("control/limits", new { used = 0, max = 500 });
        using var expire = await control.PostAsync("control/tokens/expire", null);
        using var expired = await Client.GetAsync("services/data/v62.0/limits");
        using var token = await control.PostAsync("control/tokens", null);
        using var fresh = Host.CreateClient(authenticated: false);
        fresh.DefaultRequestHeaders.Authorization = new("Bearer", (await token.JsonAsync()).GetProperty("accessToken").GetString());
        using var ok = await fresh.GetAsync("services/data/v62.0/limits");

        Assert.Multiple(() =>
        {
            Assert.That((int)limited.StatusCode, Is.EqualTo(403));
            Assert.That((int)expired.StatusCode, Is.EqualTo(401));
            Assert.That((int)ok.StatusCode, Is.EqualTo(200));
            Assert.That(ok.Header("Sforce-Limit-Info"), Is.EqualTo("api-usage=1/500"));
        });
    }

    [Test]
    public async Task Should_serve_ground_truth_and_edit_records_as_a_rep()
    {
        var truth = GroundTruth.FromJson(await control.GetStringAsync("control/ground-truth"));
        var rep = truth.Reps[0].Id;
        var opp = truth.Opportunities[0].Id;
        using var edit = await control.PatchAsync($"control/records/Opportunity/{opp}?asUser={rep}", Http.Json("""{"NextStep":"Edited by the rep"}"""));
        using var org = await control.GetAsync("control/org");
        var summary = await org.JsonAsync();
        var change = Host.Writer.Journal()[^1];

        Assert.Multiple(() =>
        {
            Assert.That(truth.ToJson(), Is.EqualTo(Host.GroundTruth.ToJson()));
            Assert.That((int)edit.StatusCode, Is.EqualTo(200));
            Assert.That(Host.Org.ReadField("Opportunity", opp, "NextStep"), Is.EqualTo("Edited by the rep"));
            Assert.That(change.CommitUserId, Is.EqualTo(rep));
            Assert.That(change.ChangeOrigin, Is.Empty);
            Assert.That(summary.GetProperty("organizationId").GetString(), Is.EqualTo(Host.Org.OrganizationId));
            Assert.That(summary.GetProperty("recordCounts").GetProperty("Opportunity").GetInt32(), Is.EqualTo(Host.Org.OpportunityCount));
        });
    }
}
