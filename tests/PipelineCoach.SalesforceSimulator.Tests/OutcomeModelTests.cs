using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.SalesforceSimulator.Org;

namespace PipelineCoach.SalesforceSimulator.Tests;

/// <summary>Closed deals' outcomes follow their qualification by default, and ignore it in the random control.</summary>
internal sealed class When_closed_deals_get_their_outcomes
{
    private static readonly DateOnly AsOf = new(2026, 5, 15);

    private static SalesforceOrg Generate(OutcomeModelKind outcomes) =>
        OrgGenerator.Generate(new OrgGeneratorOptions { Seed = 5, Opportunities = 3_000, AsOf = AsOf, Outcomes = outcomes });

    private static FieldValue Get(SObjectTable table, int row, string field) => table.Get(row, table.Field(field));

    private static IEnumerable<int> ClosedBackground(SalesforceOrg org)
    {
        var planted = org.GroundTruth.Opportunities.Select(o => o.Id).ToHashSet();
        var table = org.Opportunities;
        return Enumerable.Range(0, table.Count).Where(r =>
            Get(table, r, "IsClosed").AsBoolean && !planted.Contains(Get(table, r, "Id").ToInvariantString()!) && Get(table, r, "OwnerId").ToInvariantString() != null);
    }

    /// <summary>Qualification text fields and executive sponsor set: more of them on wins where qualification decides.</summary>
    private static double QualifiedShare(SalesforceOrg org, bool won)
    {
        var table = org.Opportunities;
        var rows = ClosedBackground(org).Where(r => Get(table, r, "IsWon").AsBoolean == won).ToList();
        string[] fields = ["Identified_Pain__c", "Decision_Process__c", "Decision_Criteria__c", "Next_Step_Date__c"];
        return rows.Average(r => fields.Count(f => !Get(table, r, f).IsNull) / (double)fields.Length);
    }

    [Test]
    public void Should_win_about_a_third_of_closed_deals_and_record_the_model()
    {
        var org = Generate(OutcomeModelKind.Qualification);
        var truth = org.GroundTruth.Outcomes!;

        Assert.Multiple(() =>
        {
            Assert.That(truth.Model, Is.EqualTo("qualification"));
            Assert.That(truth.Parameters, Is.EqualTo(OutcomeModelParameters.Default));
            Assert.That(truth.ClosedDeals, Is.GreaterThan(1_500));
            Assert.That(truth.WinRate, Is.InRange(0.30, 0.40));
            Assert.That(org.GroundTruth.ToJson(), Does.Contain("\"b1\": 3.5"));
        });
    }

    [Test]
    public void Should_win_well_qualified_deals_more_often_unless_outcomes_are_random()
    {
        var qualified = Generate(OutcomeModelKind.Qualification);
        var random = Generate(OutcomeModelKind.Random);

        Assert.Multiple(() =>
        {
            Assert.That(QualifiedShare(qualified, won: true) - QualifiedShare(qualified, won: false), Is.GreaterThan(0.15));
            Assert.That(Math.Abs(QualifiedShare(random, won: true) - QualifiedShare(random, won: false)), Is.LessThan(0.05));
            Assert.That(random.GroundTruth.Outcomes!.Model, Is.EqualTo("random"));
            Assert.That(random.GroundTruth.Outcomes.WinRate, Is.InRange(0.30, 0.40));
        });
    }

    [Test]
    public void Should_keep_the_planted_problems_and_open_deals_whatever_the_outcome_model()
    {
        var qualified = Generate(OutcomeModelKind.Qualification);
        var random = Generate(OutcomeModelKind.Random);
        var table = qualified.Opportunities;
        var open = Enumerable.Range(0, table.Count).Where(r => !Get(table, r, "IsClosed").AsBoolean).ToList();
        string Row(SalesforceOrg o, int r) => string.Join(",", o.Opportunities.Fields.Select(f => o.Opportunities.Get(r, f).ToInvariantString()));

        Assert.Multiple(() =>
        {
            Assert.That(random.GroundTruth.Opportunities.Select(o => (o.Id, string.Join(",", o.Problems))),
                Is.EqualTo(qualified.GroundTruth.Opportunities.Select(o => (o.Id, string.Join(",", o.Problems)))));
            Assert.That(random.GroundTruth.HowPlanted, Is.EqualTo(qualified.GroundTruth.HowPlanted));
            Assert.That(open.Select(r => Row(random, r)), Is.EqualTo(open.Select(r => Row(qualified, r))));
        });
    }

    [Test]
    public void Should_keep_the_last_next_step_on_closed_deals_dated_before_the_close()
    {
        var org = Generate(OutcomeModelKind.Qualification);
        var table = org.Opportunities;
        var withNextStep = ClosedBackground(org).Where(r => !Get(table, r, "Next_Step_Date__c").IsNull).ToList();

        Assert.That(withNextStep, Has.Count.GreaterThan(500));
        Assert.Multiple(() =>
        {
            foreach (var r in withNextStep)
            {
                Assert.That(Get(table, r, "Next_Step_Date__c").AsDate, Is.LessThan(Get(table, r, "CloseDate").AsDate));
                Assert.That(Get(table, r, "NextStep").ToInvariantString(), Is.Not.Null);
            }
        });
    }

    [Test]
    public void Should_close_some_losses_early_and_never_push_a_customer_driven_close_date()
    {
        var org = Generate(OutcomeModelKind.Qualification);
        var table = org.Opportunities;
        var lost = ClosedBackground(org).Where(r => !Get(table, r, "IsWon").AsBoolean).ToList();
        var history = org.History;
        var pushesOf = new Dictionary<string, int>();
        var stageOf = new Dictionary<string, int>();
        for (var h = 0; h < history.Count; h++)
        {
            var id = Get(history, h, "OpportunityId").ToInvariantString()!;
            var prev = Get(history, h, "PrevCloseDate");
            var close = Get(history, h, "CloseDate");
            pushesOf[id] = pushesOf.GetValueOrDefault(id) + (!prev.IsNull && close.AsDate > prev.AsDate ? 1 : 0);
            var stage = StageLadder.Find(Get(history, h, "StageName").Text)!;
            stageOf[id] = stage.IsClosed ? stageOf.GetValueOrDefault(id) : Math.Max(stageOf.GetValueOrDefault(id), stage.Code);
        }

        var customerDriven = ClosedBackground(org).Where(r =>
            !Get(table, r, "Compelling_Event_Date__c").IsNull && Get(table, r, "Compelling_Event_Date__c").AsDate >= Get(table, r, "CloseDate").AsDate).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(lost.Count(r => stageOf[Get(table, r, "Id").ToInvariantString()!] <= 4), Is.GreaterThan(lost.Count / 5), "walked away early");
            Assert.That(lost.Count(r => stageOf[Get(table, r, "Id").ToInvariantString()!] >= 5), Is.GreaterThan(lost.Count / 5), "lost late");
            Assert.That(customerDriven, Has.Count.GreaterThan(300));
            Assert.That(customerDriven.Sum(r => pushesOf[Get(table, r, "Id").ToInvariantString()!]), Is.Zero);
        });
    }
}
