using System.Globalization;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.SalesforceSimulator.Org;
using PipelineCoach.Scoring.Backtest;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;
using PipelineCoach.Sync.History;
using HistoryRow = PipelineCoach.Sync.History.HistoryRow;

namespace PipelineCoach.Scoring.Tests.Integration;

/// <summary>
/// The backtest on generated orgs, as Sync's initial load would hand them over: every closed deal arrives closed,
/// so each is replayed from an open snapshot rebuilt from its closed one. Where qualification decides outcomes the
/// proactive scorecard's grades must be ordered and separate won from lost; where outcomes are a coin toss the
/// backtest must say there is no separation.
/// </summary>
[TestFixture]
public sealed class When_a_generated_org_is_backtested
{
    private static readonly DateOnly AsOf = new(2026, 6, 15);

    private static BacktestReport Backtest(OutcomeModelKind outcomes, Scorecard scorecard)
    {
        var org = OrgGenerator.Generate(new OrgGeneratorOptions { Seed = 42, Opportunities = 4_000, AsOf = AsOf, Outcomes = outcomes });
        var closed = GeneratedOrgMessages.Read(org)
            .Where(m => m.Opportunity.IsClosed == true)
            .Select(m => ClosedOpportunity.From(m, m.Opportunity.IsWon == true, m.Opportunity.CloseDate, scorecard.Stages))
            .ToList();
        return ScorecardBacktest.Replay(ScorecardCompiler.Compile(scorecard), closed);
    }

    private static string Describe(BacktestReport report) =>
        $"separation {report.Separation:0.000}, base {report.BaseWinRate:0.000}, verdict '{report.Verdict}'; " +
        string.Join("; ", report.Grades.Select(g => $"{g.Grade}: {g.Won}/{g.Deals} = {g.WinRate:0.000}"));

    [Test]
    public void Should_order_the_proactive_grades_and_separate_won_from_lost_where_qualification_decides()
    {
        var report = Backtest(OutcomeModelKind.Qualification, DefaultScorecards.ProactiveQualification);
        TestContext.Out.WriteLine(Describe(report));

        Assert.That(report.Deals, Is.GreaterThan(1_000));
        Assert.That(report.ReplayedFromClosedSnapshot, Is.EqualTo(report.Deals), "Sync's initial load hands every closed deal over closed");
        Assert.That(report.BaseWinRate, Is.InRange(0.30, 0.40));
        Assert.That(report.Separation, Is.GreaterThanOrEqualTo(0.65), Describe(report));
        var rates = report.Grades.Select(g => g.WinRate).ToList();
        Assert.That(rates, Has.All.Not.Null, Describe(report));
        Assert.That(rates, Is.Ordered.Descending, "A ≥ B ≥ C ≥ D in win rate: " + Describe(report));
        Assert.That(report.GradesOrdered, Is.True);
        Assert.That(report.Verdict, Does.StartWith("grades separate won from lost deals"));
        Assert.That(report.Grades.Select(g => g.EstimatedWinProbability), Has.All.Not.Null, "thousands of deals: every grade has its own estimate");
    }

    [Test]
    public void Should_say_there_is_no_separation_where_outcomes_are_a_coin_toss()
    {
        var report = Backtest(OutcomeModelKind.Random, DefaultScorecards.ProactiveQualification);
        TestContext.Out.WriteLine(Describe(report));

        Assert.That(report.BaseWinRate, Is.InRange(0.30, 0.40));
        Assert.That(report.Separation, Is.InRange(0.45, 0.55), Describe(report));
        Assert.That(report.Verdict, Does.StartWith("no separation"));
        Assert.That(report.Notes, Has.None.Contains("more than chance explains"), "no inversion is called out on noise");
    }

    [Test]
    public void Should_record_the_outcome_model_in_the_ground_truth()
    {
        var truth = OrgGenerator.Generate(new OrgGeneratorOptions { Seed = 42, Opportunities = 500, AsOf = AsOf, Outcomes = OutcomeModelKind.Random }).GroundTruth;

        Assert.That(truth.Outcomes?.Model, Is.EqualTo("random"));
        Assert.That(truth.Outcomes!.Parameters.RandomWinRate, Is.EqualTo(OutcomeModelParameters.Default.RandomWinRate));
    }
}

/// <summary>
/// Reads a generated org's opportunities into <see cref="OpportunityChanged"/> messages the way Sync's initial load
/// builds them: the fields with columns, every other field as an invariant string, history derived by Sync's own
/// <see cref="OpportunityHistoryDeriver"/>, and the contact roles.
/// </summary>
internal static class GeneratedOrgMessages
{
    private static readonly HashSet<string> Skipped = ["Id", "IsDeleted"];

    public static List<OpportunityChanged> Read(SalesforceOrg org)
    {
        var opportunities = org.FindTable("Opportunity")!;
        var history = GroupBy(org.FindTable("OpportunityHistory")!, "OpportunityId");
        var roles = GroupBy(org.FindTable("OpportunityContactRole")!, "OpportunityId");
        var historyTable = org.FindTable("OpportunityHistory")!;
        var roleTable = org.FindTable("OpportunityContactRole")!;
        var messages = new List<OpportunityChanged>(opportunities.Count);
        for (var row = 0; row < opportunities.Count; row++)
        {
            string? Text(string field) => opportunities.Get(row, opportunities.Field(field)).ToInvariantString();
            var id = Text("Id")!;
            var custom = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var field in opportunities.Fields)
            {
                if (!Skipped.Contains(field.Name) && !Columns.Contains(field.Name))
                {
                    custom[field.Name] = opportunities.Get(row, field).ToInvariantString();
                }
            }

            var modstamp = Timestamp(Text("SystemModstamp"))!.Value;
            var historyRows = history.GetValueOrDefault(id, []).Select(h =>
            {
                string? H(string field) => historyTable.Get(h, historyTable.Field(field)).ToInvariantString();
                return new HistoryRow(H("Id")!, id, H("StageName"), Date(H("CloseDate")), Date(H("PrevCloseDate")), Number(H("Amount")), Timestamp(H("CreatedDate"))!.Value);
            });
            messages.Add(new OpportunityChanged
            {
                OpportunityId = id,
                OrganizationId = org.OrganizationId,
                SourceVersion = modstamp,
                OccurredAt = modstamp,
                Source = "initial-load",
                ChangeType = "SNAPSHOT",
                ChangedFields = [],
                Opportunity = new OpportunitySnapshot
                {
                    Id = id,
                    Name = Text("Name"),
                    AccountId = Text("AccountId"),
                    OwnerId = Text("OwnerId"),
                    StageName = Text("StageName"),
                    Amount = Number(Text("Amount")),
                    Probability = Number(Text("Probability")),
                    CloseDate = Date(Text("CloseDate")),
                    ForecastCategoryName = Text("ForecastCategoryName"),
                    NextStep = Text("NextStep"),
                    LastActivityDate = Date(Text("LastActivityDate")),
                    IsClosed = Text("IsClosed") == "true",
                    IsWon = Text("IsWon") == "true",
                    CreatedDate = Timestamp(Text("CreatedDate")),
                    LastModifiedDate = Timestamp(Text("LastModifiedDate")),
                    SystemModstamp = modstamp,
                    CustomFields = custom,
                },
                History = OpportunityHistoryDeriver.Derive(historyRows),
                ContactRoles = [.. roles.GetValueOrDefault(id, []).Select(r => new ContactRoleSnapshot
                {
                    ContactId = roleTable.Get(r, roleTable.Field("ContactId")).ToInvariantString()!,
                    Role = roleTable.Get(r, roleTable.Field("Role")).ToInvariantString(),
                    IsPrimary = roleTable.Get(r, roleTable.Field("IsPrimary")).ToInvariantString() == "true",
                })],
            });
        }

        return messages;
    }

    private static readonly HashSet<string> Columns =
    [
        "Name", "AccountId", "OwnerId", "StageName", "Amount", "Probability", "CloseDate", "ForecastCategoryName",
        "NextStep", "LastActivityDate", "IsClosed", "IsWon", "CreatedDate", "LastModifiedDate", "SystemModstamp",
    ];

    private static Dictionary<string, List<int>> GroupBy(SObjectTable table, string field)
    {
        var key = table.Field(field);
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var row = 0; row < table.Count; row++)
        {
            var id = table.Get(row, key).ToInvariantString()!;
            if (!groups.TryGetValue(id, out var rows))
            {
                groups[id] = rows = [];
            }

            rows.Add(row);
        }

        return groups;
    }

    private static DateOnly? Date(string? text) => text is null ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static decimal? Number(string? text) => text is null ? null : decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static DateTimeOffset? Timestamp(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
