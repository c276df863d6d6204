using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.SalesforceSimulator;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.ServiceDefaults.Webhooks;
using PipelineCoach.Sync.Reconciliation;
using PipelineCoach.Testing;
using ScoringProgram = PipelineCoach.Scoring.Program;
using SyncProgram = PipelineCoach.Sync.Program;

namespace PipelineCoach.EndToEnd.Tests;

/// <summary>
/// The whole pipeline on a simulated org with planted problems: Sync loads it from Salesforce (Bulk, users, contact
/// roles, history) and Scoring must flag every planted opportunity and rep — and nothing on the clean controls —
/// as the simulator's ground truth says.
/// </summary>
public sealed class When_an_org_with_planted_problems_is_synced_and_scored
{
    // The ground truth's problem codes and the default scorecard's flag codes differ in one word.
    private static readonly Dictionary<string, string> FlagFor = new() { ["maverick-discount"] = "maverick-discounting" };

    private SimulatorHost _simulator = null!;
    private ServiceHost<SyncProgram> _sync = null!;
    private ServiceHost<ScoringProgram> _scoring = null!;
    private HttpClient _scoringApi = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // The org is generated as of the test clock's day and Scoring judges it on that day: ages, stale stages and the
        // fiscal quarter the planted problems depend on come out the same whatever day the suite runs.
        _simulator = await SimulatorApp.StartAsync(new SimulatorOptions { Org = new OrgGeneratorOptions { Seed = 42, Opportunities = 100, AsOf = TestClock.Today } });
        _scoring = await ServiceHost<ScoringProgram>.StartAsync("scoring", services: TestClock.Replace(TestClock.Start()));
        var syncSettings = _simulator.SyncConnectionSettings();
        syncSettings["Sync:Reconcile:Enabled"] = "false";
        syncSettings["Sync:WriteBack:Enabled"] = "false";
        syncSettings["Webhooks:ChangeEventSecrets:0"] = StandardWebhooks.NewSecret();
        _sync = await ServiceHost<SyncProgram>.StartAsync("sync", syncSettings);
        await _sync.Services.GetRequiredService<Reconciler>().RunAsync(CancellationToken.None);
        _scoringApi = _scoring.CreateClient().WithScopes("scoring.read", "scoring.write");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _scoringApi.Dispose();
        await _sync.DisposeAsync();
        await _scoring.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private async Task<string[]?> FlagsAsync(string opportunityId)
    {
        using var response = await _scoringApi.GetAsync($"/api/v1/opportunities/{opportunityId}/score");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var score = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("scores").EnumerateArray()
            .First(s => s.GetProperty("scorecardId").GetString() == "proactive-qualification");
        return [.. score.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).Order(StringComparer.Ordinal)];
    }

    [Test]
    public async Task Should_flag_exactly_the_planted_opportunities()
    {
        var planted = _simulator.GroundTruth.Opportunities;
        Assert.That(planted, Has.Count.GreaterThan(0));
        string Expected(PlantedSubject o) => string.Join(",", o.Problems.Select(p => FlagFor.GetValueOrDefault(p, p)).Order(StringComparer.Ordinal));

        // History and contact roles arrive as later events than the opportunity itself: wait for the settled picture.
        // The probe returns the mismatches in words, so a timeout says which deal carries which flags.
        var mismatches = await Eventually.ValueAsync(
            async () =>
            {
                var wrong = new List<string>();
                foreach (var o in planted)
                {
                    var actual = await FlagsAsync(o.Id) is { } f ? string.Join(",", f) : "(not scored)";
                    if (actual != Expected(o))
                    {
                        wrong.Add($"{o.Name} ({o.Id}): flags '{actual}', planted '{Expected(o)}'");
                    }
                }

                return string.Join("; ", wrong);
            },
            wrong => wrong.Length == 0,
            "Scoring to flag the planted opportunities", TimeSpan.FromSeconds(90));

        Assert.That(mismatches, Is.Empty);

        // The slipping deal moved its compelling event along with every push (Salesforce field history, read by Sync):
        // an event that keeps moving is not the customer's, so it must not earn the customer-driven close date.
        var slipping = planted.First(o => o.Problems.Contains("slipping"));
        using var response = await _scoringApi.GetAsync($"/api/v1/opportunities/{slipping.Id}/score");
        var proactive = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("scores").EnumerateArray()
            .First(s => s.GetProperty("scorecardId").GetString() == "proactive-qualification");
        var customerDriven = proactive.GetProperty("criteria").EnumerateArray().First(c => c.GetProperty("id").GetString() == "customer-close-date");
        Assert.That(customerDriven.GetProperty("status").GetString(), Is.EqualTo("NotMet"), slipping.Name);
        Assert.That(customerDriven.GetProperty("evidence").GetProperty("field").GetString(), Is.EqualTo("History.CompellingEventMoves"), slipping.Name);
        Assert.That(customerDriven.GetProperty("evidence").GetProperty("value").ToString(), Is.EqualTo("3"), slipping.Name);
    }

    [Test]
    public async Task Should_raise_each_planted_rep_problem_and_nothing_on_the_control_rep()
    {
        var truth = _simulator.GroundTruth;
        foreach (var quota in truth.Quotas)
        {
            using var put = await _scoringApi.PutAsJsonAsync($"/api/v1/quotas/{quota.UserId}/{quota.Period}", new { amount = quota.Quota });
            Assert.That(put.IsSuccessStatusCode, Is.True, await put.Content.ReadAsStringAsync());
        }

        async Task<string[]> RaisedAsync(string repId)
        {
            var health = await _scoringApi.GetFromJsonAsync<JsonElement>($"/api/v1/pipeline/health?ownerId={repId}&period={truth.FiscalPeriod}");
            return [.. health.GetProperty("conditions").EnumerateArray().Where(c => c.GetProperty("isRaised").GetBoolean())
                .Select(c => c.GetProperty("condition").GetString()!)];
        }

        await Eventually.TrueAsync(
            async () => (await Task.WhenAll(truth.Reps.Where(r => r.Problems.Count > 0).Select(async r => (await RaisedAsync(r.Id)).Intersect(r.Problems).Count() == r.Problems.Count))).All(ok => ok),
            "every planted rep problem to be raised", TimeSpan.FromSeconds(90));

        foreach (var rep in truth.Reps)
        {
            var raised = await RaisedAsync(rep.Id);
            if (rep.Problems.Count == 0)
            {
                Assert.That(raised, Is.Empty, $"control rep {rep.Name}");
            }
            else
            {
                Assert.That(raised, Is.SupersetOf(rep.Problems), $"rep {rep.Name}");
            }
        }
    }
}
