using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.Cadence.Agendas;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Contracts.Cadence;
using PipelineCoach.SalesforceSimulator;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.ServiceDefaults.Webhooks;
using PipelineCoach.Sync.Reconciliation;
using PipelineCoach.Testing;
using ScoringProgram = PipelineCoach.Scoring.Program;
using SyncProgram = PipelineCoach.Sync.Program;

namespace PipelineCoach.Cadence.Tests.Agendas;

/// <summary>
/// The weekly review of the simulator's planted team: Sync loads the org, Scoring flags it, Cadence keeps the flags
/// from OpportunityScored and asks Scoring for coverage. The planted slipping, stalled and premature-presentation deals
/// are on the agenda with their names, amounts and owners; their clean controls are not listed as problems.
/// </summary>
public sealed class When_the_planted_teams_weekly_review_is_built
{
    private static readonly string[] ReviewProblems = [ProblemCodes.Slipping, ProblemCodes.Stalled, ProblemCodes.PrematurePresentation];

    private SimulatorHost _simulator = null!;
    private ServiceHost<ScoringProgram> _scoring = null!;
    private ServiceHost<SyncProgram> _sync = null!;
    private CadenceAgendaHost _cadence = null!;
    private IReadOnlyList<AgendaSection> _agenda = null!;
    private GroundTruth _truth = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _simulator = await SimulatorApp.StartAsync(new SimulatorOptions { Org = new OrgGeneratorOptions { Seed = 42, Opportunities = 100, AsOf = TestClock.Today } });
        _truth = _simulator.GroundTruth;
        _scoring = await ServiceHost<ScoringProgram>.StartAsync("scoring", services: TestClock.Replace(TestClock.Start()));
        _cadence = await CadenceAgendaHost.StartAsync(_scoring);
        var syncSettings = _simulator.SyncConnectionSettings();
        syncSettings["Sync:Reconcile:Enabled"] = "false";
        syncSettings["Sync:WriteBack:Enabled"] = "false";
        syncSettings["Webhooks:ChangeEventSecrets:0"] = StandardWebhooks.NewSecret();
        _sync = await ServiceHost<SyncProgram>.StartAsync("sync", syncSettings);
        await _sync.Services.GetRequiredService<Reconciler>().RunAsync(CancellationToken.None);
        using (var scoringApi = _scoring.CreateClient().WithScopes("scoring.write"))
        {
            foreach (var quota in _truth.Quotas)
            {
                using var put = await scoringApi.PutAsJsonAsync($"/api/v1/quotas/{quota.UserId}/{quota.Period}", new { amount = quota.Quota });
                Assert.That(put.IsSuccessStatusCode, Is.True, await put.Content.ReadAsStringAsync());
            }
        }

        // Cadence hears of every planted deal's score (history and contact roles arrive later than the deal: wait for the settled flags).
        var planted = _truth.Opportunities.Where(o => o.Problems.Intersect(ReviewProblems).Any()).ToList();
        await Eventually.ValueAsync(async () =>
            {
                var flags = await _cadence.QueryAsync<(string Id, string Flag)>("SELECT opportunity_id, flag FROM opportunity_flags WHERE opportunity_id = ANY(@ids)",
                    new { ids = planted.Select(p => p.Id).ToArray() });
                var scored = await _cadence.QueryAsync<long>("SELECT count(*) FROM opportunity_scores");
                var missing = planted.SelectMany(p => p.Problems.Intersect(ReviewProblems).Where(problem => !flags.Contains((p.Id, problem))).Select(problem => $"{p.Id}:{problem}"));
                return $"{scored[0]} scores received; missing flags: {string.Join(", ", missing)}; present: {string.Join(", ", flags)}";
            },
            state => state.Contains("missing flags: ;", StringComparison.Ordinal),
            "Cadence to receive the planted deals' flags", TimeSpan.FromSeconds(90));

        await CopyTeamFromSyncAsync(_truth.PlantedTeamManagerId!);
        var reps = (await _cadence.QueryAsync<string>("SELECT user_id FROM users WHERE manager_id = @manager ORDER BY user_id", new { manager = _truth.PlantedTeamManagerId })).ToList();
        var review = new FiringOccurrence(Guid.CreateVersion7(), Guid.CreateVersion7(), CadenceKinds.WeeklyPipelineReview, _truth.PlantedTeamManagerId!, reps, null,
            TestClock.Now, "UTC");
        _agenda = (await _cadence.BuildAsync(review))[review.Id];
    }

    /// <summary>
    /// The team's users and open deals as Cadence's UserChanged and OpportunityChanged consumers keep them, taken from
    /// Sync's mirror of the simulated org.
    /// </summary>
    private async Task CopyTeamFromSyncAsync(string managerId)
    {
        await using var sync = new NpgsqlConnection(_sync.DatabaseConnectionString);
        var users = (await sync.QueryAsync<(string Id, string Name, string? ManagerId)>(
            "SELECT id, name, manager_id FROM users WHERE id = @managerId OR manager_id = @managerId", new { managerId })).ToList();
        foreach (var user in users)
        {
            await _cadence.AddUserAsync(user.Id, user.Name, user.ManagerId);
        }

        var deals = await sync.QueryAsync<AgendaDeal>(
            """
            SELECT trim(id) AS OpportunityId, name AS Name, trim(owner_id) AS OwnerId, stage_name AS Stage, amount AS Amount, close_date AS CloseDate,
                   next_step AS NextStep, (custom_fields->>'Next_Step_Date__c')::date AS NextStepDate,
                   (custom_fields->>'Discount_Percent__c')::numeric AS DiscountPercent, coalesce(is_closed, false) AS IsClosed, created_date AS CreatedDate
            FROM opportunities WHERE owner_id = ANY(@owners) AND NOT is_deleted
            """,
            new { owners = users.Select(u => u.Id).ToArray() });
        foreach (var deal in deals)
        {
            await _cadence.AddOpportunityAsync(deal);
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _sync.DisposeAsync();
        await _cadence.DisposeAsync();
        await _scoring.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private AgendaSection Section(string code) => _agenda.Single(s => s.Code == code);

    [TestCase(ProblemCodes.Slipping, AgendaSections.Slipped)]
    [TestCase(ProblemCodes.Stalled, AgendaSections.Stalled)]
    [TestCase(ProblemCodes.PrematurePresentation, AgendaSections.PrematurePresentations)]
    public void Should_list_the_planted_deals_with_name_amount_and_owner(string problem, string section)
    {
        var planted = _truth.Opportunities.Where(o => o.Problems.Contains(problem)).ToList();
        Assert.That(planted, Is.Not.Empty);
        var items = Section(section).Items;
        foreach (var deal in planted)
        {
            var item = items.SingleOrDefault(i => i.OpportunityId == deal.Id);
            Assert.That(item, Is.Not.Null, $"{deal.Name} ({deal.Id}) in '{section}'");
            Assert.That((item!.OpportunityName, item.Amount, item.OwnerId), Is.EqualTo((deal.Name, decimal.Parse(deal.Planted["Amount"]!, System.Globalization.CultureInfo.InvariantCulture), deal.OwnerId)));
            Assert.That(item.OwnerName, Is.Not.Null.And.Not.Empty);
            Assert.That(item.Why, Does.StartWith(AgendaWords.FlagName(problem) + ": ").And.Not.Contain("__c"));
        }
    }

    [Test]
    public void Should_not_list_the_clean_controls_as_problems()
    {
        var controls = _truth.Opportunities.Where(o => o.Problems.Count == 0).Select(o => o.Id).ToList();
        Assert.That(controls, Is.Not.Empty);
        var listed = new[] { AgendaSections.Slipped, AgendaSections.Stalled, AgendaSections.PrematurePresentations }
            .SelectMany(code => Section(code).Items).Select(i => i.OpportunityId).ToList();
        Assert.That(listed.Intersect(controls), Is.Empty);
    }

    [Test]
    public void Should_show_live_coverage_with_the_low_coverage_rep_below_target()
    {
        Assert.That(_agenda.Select(s => s.Code), Has.No.Member(AgendaSections.ScoresUnavailable), "Scoring answered with the service token");
        var low = _truth.Reps.Single(r => r.Problems.Contains(ProblemCodes.CoverageBelowTarget));
        var control = _truth.Reps.Single(r => r.Problems.Count == 0);
        var coverage = Section(AgendaSections.Coverage).Items;
        Assert.That(coverage.Single(i => i.OwnerId == low.Id).Code, Is.EqualTo("coverage-below-target"));
        Assert.That(coverage.Single(i => i.OwnerId == control.Id).Code, Is.EqualTo("coverage-on-target"));
        Assert.That(Section(AgendaSections.Inflow).Items.Single(i => i.OwnerId == _truth.Reps.Single(r => r.Problems.Contains(ProblemCodes.InflowDriedUp)).Id).Code,
            Is.EqualTo("inflow-dried-up"));
    }
}
