using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.SalesforceSimulator.Org;

namespace PipelineCoach.SalesforceSimulator.Tests;

internal sealed class When_generating_an_org
{
    private static readonly DateOnly AsOf = new(2026, 5, 15);
    private SalesforceOrg org = null!;

    [OneTimeSetUp]
    public void Generate() => org = OrgGenerator.Generate(new OrgGeneratorOptions { Seed = 5, Opportunities = 3_000, AsOf = AsOf });

    private static readonly string[] Qualification =
    [
        "Compelling_Event__c", "Economic_Buyer__c", "Identified_Pain__c", "Decision_Process__c", "Decision_Criteria__c",
        "Metrics__c", "Champion__c", "Competition__c",
    ];

    private static FieldValue Get(SObjectTable table, int row, string field) => table.Get(row, table.Field(field));

    private static int Row(string id) => SalesforceIds.TryParse(id, out _, out var n) ? (int)n : -1;

    private List<int> ChildRows(SObjectTable table, string parentField, string parentId) =>
        [.. Enumerable.Range(0, table.Count).Where(r => Get(table, r, parentField).ToInvariantString() == parentId)];

    [Test]
    public void Should_be_deterministic_for_a_seed()
    {
        var again = OrgGenerator.Generate(new OrgGeneratorOptions { Seed = 5, Opportunities = 3_000, AsOf = AsOf });
        var other = OrgGenerator.Generate(new OrgGeneratorOptions { Seed = 6, Opportunities = 3_000, AsOf = AsOf });
        string Sample(SalesforceOrg o) => string.Join("|", Enumerable.Range(0, 200).Select(r =>
            string.Join(",", o.Opportunities.Fields.Select(f => o.Opportunities.Get(r * 15, f).ToInvariantString()))));

        Assert.Multiple(() =>
        {
            Assert.That(again.GroundTruth.ToJson(), Is.EqualTo(org.GroundTruth.ToJson()));
            Assert.That(Sample(again), Is.EqualTo(Sample(org)));
            Assert.That(again.History.Count, Is.EqualTo(org.History.Count));
            Assert.That(Sample(other), Is.Not.EqualTo(Sample(org)));
        });
    }

    [Test]
    public void Should_generate_a_handful_without_planting()
    {
        var small = OrgGenerator.Generate(new OrgGeneratorOptions { Seed = 1, Opportunities = 5, AsOf = AsOf, PlantProblems = false });

        Assert.Multiple(() =>
        {
            Assert.That(small.OpportunityCount, Is.EqualTo(5));
            Assert.That(small.UserRecords.Count(u => u.Title == "Account Executive"), Is.EqualTo(3));
            Assert.That(small.GroundTruth.Opportunities, Is.Empty);
            Assert.That(small.OrganizationId, Does.StartWith("00D").And.Length.EqualTo(18));
        });
    }

    [Test]
    public void Should_build_a_role_hierarchy_from_vp_to_managers_to_reps()
    {
        var users = org.UserRecords;
        var vp = users.Single(u => u.Title == "VP Sales");
        var managers = users.Where(u => u.Title == "Sales Manager").ToList();
        var reps = users.Where(u => u.Title == "Account Executive").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(vp.ManagerIndex, Is.EqualTo(-1));
            Assert.That(managers.Select(m => m.ManagerIndex), Is.All.EqualTo(vp.Index));
            Assert.That(reps.Select(r => users[r.ManagerIndex].Title), Is.All.EqualTo("Sales Manager"));
            Assert.That(users.Select(u => u.TimeZoneSidKey), Is.All.Contains("/"));
            Assert.That(users.Select(u => u.Email), Is.All.Contains("@"));
            Assert.That(users.Select(u => u.Username), Is.Unique);
            Assert.That(org.IntegrationUser.IsApiOnly, Is.True);
            var role = org.FindTable("UserRole")!;
            var repRole = (int)Get(org.Users, reps[0].Index, "UserRoleId").Int;
            var managerRole = (int)Get(role, repRole, "ParentRoleId").Int;
            Assert.That(Get(role, managerRole, "ParentRoleId").ToInvariantString(), Is.EqualTo(SalesforceIds.Create("00E", 0)));
        });
    }

    [Test]
    public void Should_spread_opportunities_over_the_whole_stage_ladder_with_custom_fields()
    {
        var table = org.Opportunities;
        var rows = Enumerable.Range(0, table.Count).ToList();
        var stages = rows.Select(r => Get(table, r, "StageName").Text).ToHashSet();

        Assert.Multiple(() =>
        {
            Assert.That(stages, Is.EquivalentTo(StageLadder.All.Select(s => s.Name)));
            Assert.That(rows.Select(r => Get(table, r, "Amount").AsDouble), Is.All.GreaterThan(0));
            Assert.That(rows.Count(r => !Get(table, r, "Compelling_Event_Date__c").IsNull), Is.GreaterThan(300));
            Assert.That(rows.Count(r => !Get(table, r, "Executive_Sponsor__c").IsNull), Is.GreaterThan(300));
            Assert.That(rows.Count(r => !Get(table, r, "Discount_Percent__c").IsNull), Is.GreaterThan(300));
            Assert.That(rows.Count(r => !Get(table, r, "NextStep").IsNull), Is.GreaterThan(300));
            Assert.That(rows.Count(r => !Get(table, r, "Next_Step_Date__c").IsNull), Is.EqualTo(rows.Count(r => !Get(table, r, "NextStep").IsNull)));
            Assert.That(rows.Count(r => !Get(table, r, "Identified_Pain__c").IsNull), Is.GreaterThan(300));
            Assert.That(rows.Count(r => !Get(table, r, "Economic_Buyer__c").IsNull), Is.GreaterThan(300));
            Assert.That(rows.Count(r => !Get(table, r, "LastActivityDate").IsNull), Is.GreaterThan(1_000));
            Assert.That(rows.Where(r => Get(table, r, "IsClosed").AsBoolean).Select(r => Get(table, r, "StageName").Text),
                Is.All.StartsWith("Closed"));
            Assert.That(rows.Select(r => Get(table, r, "SystemModstamp").AsDateTime), Is.All.LessThan(new DateTimeOffset(AsOf.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)));
        });
    }

    [Test]
    public void Should_write_history_with_close_dates_pushed_across_quarters()
    {
        var history = org.History;
        var crossings = Enumerable.Range(0, history.Count).Count(r =>
        {
            var prev = Get(history, r, "PrevCloseDate");
            var close = Get(history, r, "CloseDate");
            return !prev.IsNull && close.Int > prev.Int && FiscalCalendar.QuarterIndex(close.AsDate) > FiscalCalendar.QuarterIndex(prev.AsDate);
        });
        var roles = Enumerable.Range(0, org.ContactRoles.Count).Select(r => Get(org.ContactRoles, r, "Role").Text).ToHashSet();

        Assert.Multiple(() =>
        {
            Assert.That(crossings, Is.GreaterThan(50));
            Assert.That(history.Count, Is.GreaterThan(org.OpportunityCount * 2));
            Assert.That(roles, Is.SubsetOf(new[] { "Business User", "Decision Maker", "Economic Buyer", "Economic Decision Maker", "Evaluator", "Executive Sponsor", "Influencer", "Technical Buyer", "Other" }));
            Assert.That(roles, Has.Count.GreaterThan(5));
            Assert.That(org.Tasks.Count, Is.GreaterThan(org.OpportunityCount));
        });
    }

    [Test]
    public void Should_end_every_opportunity_history_in_the_current_stage_close_date_and_amount()
    {
        var last = new Dictionary<long, int>();
        for (var r = 0; r < org.History.Count; r++)
        {
            last[Get(org.History, r, "OpportunityId").Int] = r;
        }

        var mismatches = Enumerable.Range(0, org.OpportunityCount).Where(o =>
        {
            var h = last[o];
            return Get(org.History, h, "StageName").Text != Get(org.Opportunities, o, "StageName").Text
                || Get(org.History, h, "CloseDate").Int != Get(org.Opportunities, o, "CloseDate").Int
                || Get(org.History, h, "Amount").AsDouble != Get(org.Opportunities, o, "Amount").AsDouble;
        }).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(last, Has.Count.EqualTo(org.OpportunityCount));
            Assert.That(mismatches, Is.Empty);
        });
    }

    [Test]
    public void Should_list_every_planted_problem_next_to_a_clean_control()
    {
        var truth = org.GroundTruth;
        Assert.Multiple(() =>
        {
            foreach (var code in ProblemCodes.OpportunityProblems.Concat(ProblemCodes.RepProblems))
            {
                Assert.That(truth.WithProblem(code).Count(), Is.EqualTo(1), code);
                Assert.That(truth.Opportunities.Concat(truth.Reps).Count(s => s.Problems.Count == 0 && s.ControlFor.Contains(code)), Is.GreaterThanOrEqualTo(1), code);
                Assert.That(truth.HowPlanted.ContainsKey(code), Is.True, code);
            }

            Assert.That(truth.Opportunities.Select(s => s.Id).Concat(truth.Reps.Select(r => r.Id)), Is.Unique);
            Assert.That(truth.FiscalPeriod, Is.EqualTo("2026-Q2"));
            Assert.That(GroundTruth.FromJson(truth.ToJson()).ToJson(), Is.EqualTo(truth.ToJson()));
        });
    }

    [Test]
    public void Should_plant_the_slipping_deal_as_three_pushes_across_quarter_boundaries()
    {
        var subject = org.GroundTruth.WithProblem(ProblemCodes.Slipping).Single();
        var rows = ChildRows(org.History, "OpportunityId", subject.Id);
        var closeDates = rows.Select(r => Get(org.History, r, "CloseDate").AsDate).Distinct().ToList();
        var quarters = closeDates.Select(FiscalCalendar.QuarterIndex).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(closeDates, Has.Count.EqualTo(4));
            Assert.That(quarters.Zip(quarters.Skip(1), (a, b) => b - a), Is.All.EqualTo(1));
            Assert.That(Get(org.Opportunities, Row(subject.Id), "CloseDate").AsDate, Is.EqualTo(closeDates[^1]));
            Assert.That(subject.Planted["CloseDatePushes"], Is.EqualTo("3"));
        });
    }

    [Test]
    public void Should_plant_deal_level_problems_in_the_documented_field_values()
    {
        var truth = org.GroundTruth;
        var opp = org.Opportunities;
        int R(string code) => Row(truth.WithProblem(code).Single().Id);
        int Roles(int row) => ChildRows(org.ContactRoles, "OpportunityId", SalesforceIds.Create("006", row)).Count;
        var stalled = R(ProblemCodes.Stalled);
        var premature = R(ProblemCodes.PrematurePresentation);
        var premRoles = ChildRows(org.ContactRoles, "OpportunityId", SalesforceIds.Create("006", premature)).Select(r => Get(org.ContactRoles, r, "Role").Text);
        var stale = R(ProblemCodes.StaleActivity);

        Assert.Multiple(() =>
        {
            Assert.That(Get(opp, stalled, "StageName").Text, Is.EqualTo("Needs Analysis"));
            Assert.That(DateOnly.FromDateTime(Get(opp, stalled, "LastStageChangeDate").AsDateTime.UtcDateTime), Is.EqualTo(AsOf.AddDays(-120)));
            Assert.That(Get(opp, premature, "StageName").Text, Is.EqualTo("Proposal/Price Quote"));
            Assert.That(Get(opp, premature, "Compelling_Event_Date__c").IsNull, Is.True);
            Assert.That(Get(opp, premature, "Executive_Sponsor__c").IsNull, Is.True);
            Assert.That(premRoles, Is.EquivalentTo(new[] { "Evaluator", "Technical Buyer" }));
            Assert.That(Qualification.Select(f => Get(opp, premature, f).IsNull), Is.All.True);
            Assert.That(Get(opp, premature, "Next_Step_Date__c").AsDate, Is.EqualTo(AsOf.AddDays(3)));
            Assert.That(Get(opp, R(ProblemCodes.NoNextStep), "Next_Step_Date__c").IsNull, Is.True);
            Assert.That(Get(opp, R(ProblemCodes.MaverickDiscount), "Discount_Percent__c").AsDouble, Is.EqualTo(35));
            Assert.That(Get(opp, R(ProblemCodes.MaverickDiscount), "StageName").Text, Is.EqualTo("Negotiation/Review"));
            Assert.That(Roles(R(ProblemCodes.SingleThreaded)), Is.EqualTo(1));
            Assert.That(Get(opp, R(ProblemCodes.NoNextStep), "NextStep").IsNull, Is.True);
            Assert.That(Get(opp, stale, "LastActivityDate").AsDate, Is.EqualTo(AsOf.AddDays(-45)));
            foreach (var subject in truth.Opportunities)
            {
                foreach (var field in new[] { "StageName", "CloseDate", "Executive_Sponsor__c", "Compelling_Event_Date__c", "Discount_Percent__c", "LastActivityDate", "Next_Step_Date__c" })
                {
                    Assert.That(Get(opp, Row(subject.Id), field).ToInvariantString(), Is.EqualTo(subject.Planted[field]), $"{subject.Id} {field}");
                }
            }

            foreach (var control in truth.Opportunities.Where(s => s.Problems.Count == 0))
            {
                var row = Row(control.Id);
                Assert.That(Roles(row), Is.EqualTo(4), control.Id);
                Assert.That(Qualification.Select(f => Get(opp, row, f).IsNull), Is.All.False, control.Id);
                Assert.That(Get(opp, row, "Discount_Percent__c").AsDouble, Is.EqualTo(5), control.Id);
                Assert.That(Get(opp, row, "NextStep").Text, Does.StartWith(AsOf.AddDays(3).ToString("yyyy-MM-dd")), control.Id);
                Assert.That(Get(opp, row, "LastActivityDate").AsDate, Is.EqualTo(AsOf.AddDays(-1)), control.Id);
                Assert.That(ChildRows(org.History, "OpportunityId", control.Id).Select(r => Get(org.History, r, "CloseDate").Int).Distinct().Count(), Is.EqualTo(1), control.Id);
            }
        });
    }

    [Test]
    public void Should_plant_rep_level_problems_in_pipeline_activity_and_inflow()
    {
        var truth = org.GroundTruth;
        var opp = org.Opportunities;
        var low = truth.WithProblem(ProblemCodes.CoverageBelowTarget).Single();
        var dry = truth.WithProblem(ProblemCodes.InflowDriedUp).Single();
        var tunnel = truth.WithProblem(ProblemCodes.TunnelVision).Single();
        var control = truth.Reps.Single(r => r.Problems.Count == 0);
        List<int> Owned(string rep) => [.. Enumerable.Range(0, opp.Count).Where(r => Get(opp, r, "OwnerId").ToInvariantString() == rep)];
        double Coverage(string rep)
        {
            var pipeline = Owned(rep).Where(r => !Get(opp, r, "IsClosed").AsBoolean && Get(opp, r, "CloseDate").AsDate <= truth.PeriodEnd)
                .Sum(r => Get(opp, r, "Amount").AsDouble);
            return pipeline / (double)truth.Quotas.Single(q => q.UserId == rep).Quota;
        }

        int TasksLast30(int row) => ChildRows(org.Tasks, "WhatId", SalesforceIds.Create("006", row)).Count(t => Get(org.Tasks, t, "ActivityDate").AsDate > AsOf.AddDays(-31));
        var tunnelDeals = Owned(tunnel.Id);

        Assert.Multiple(() =>
        {
            Assert.That(Coverage(low.Id), Is.EqualTo(0.5).Within(0.001));
            Assert.That(Coverage(control.Id), Is.EqualTo(4).Within(0.001));
            Assert.That(Owned(dry.Id).Count(r => Get(opp, r, "IsClosed").AsBoolean), Is.EqualTo(6));
            Assert.That(Owned(dry.Id).Where(r => !Get(opp, r, "IsClosed").AsBoolean).Select(r => Get(opp, r, "CloseDate").AsDate), Is.All.InRange(AsOf, truth.PeriodEnd));
            Assert.That(Owned(dry.Id).Max(r => Get(opp, r, "CreatedDate").AsDateTime), Is.LessThan(new DateTimeOffset(AsOf.AddDays(-99).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)));
            Assert.That(Owned(control.Id).Count(r => Get(opp, r, "CreatedDate").AsDateTime > new DateTimeOffset(AsOf.AddDays(-30).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)), Is.GreaterThanOrEqualTo(2));
            Assert.That(tunnelDeals.Select(TasksLast30).OrderDescending(), Is.EqualTo(new[] { 15, 0, 0, 0, 0, 0, 0, 0 }));
            Assert.That(tunnel.Planted["HotOpportunityId"], Is.EqualTo(SalesforceIds.Create("006", tunnelDeals.MaxBy(TasksLast30))));
        });
    }
}
