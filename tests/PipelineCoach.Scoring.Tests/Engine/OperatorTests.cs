using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;

namespace PipelineCoach.Scoring.Tests.Engine;

/// <summary>Each operator on its own, through a custom scorecard with one single-leaf criterion per case.</summary>
[TestFixture]
public sealed class When_evaluating_each_operator
{
    private static CriterionResult Evaluate(string rule, OpportunityBuilder opportunity, string customFields = "")
    {
        var json = $$"""
            {
              "id": "operators", "version": 1, "name": "Operators",
              "stages": [ { "name": "Prospecting" }, { "name": "Qualification" }, { "name": "Proposal" } ],
              "customFields": [ { "name": "Tier__c", "type": "text" }, { "name": "Strategic__c", "type": "boolean" }, { "name": "Renewal_Date__c", "type": "date" } {{customFields}} ],
              "criteria": [ { "id": "case", "name": "Case", "weight": 100, "rule": {{rule}} } ],
              "grades": [ { "grade": "pass", "min": 100, "max": 100 }, { "grade": "fail", "min": 0, "max": 99 } ]
            }
            """;
        var scorecard = ScorecardCompiler.Compile(ScorecardJson.Deserialize(json));
        var result = scorecard.CreateResult();
        scorecard.Score(scorecard.CreateFacts(opportunity.Build()), OpportunityBuilder.AsOf, result);
        return result.Criterion("case");
    }

    private static OpportunityBuilder Deal() => OpportunityBuilder.Open()
        .InStage("Qualification")
        .With(o => o with { Amount = 50_000m, ForecastCategoryName = "Best Case", NextStep = "Send MSA redlines" })
        .WithField("Tier__c", "Enterprise").WithField("Strategic__c", "true").WithField("Renewal_Date__c", "2025-03-04")
        .WithContacts("Champion", "Technical Buyer");

    [TestCase("""{ "field": "Amount", "operator": "eq", "value": 50000 }""", true)]
    [TestCase("""{ "field": "Amount", "operator": "ne", "value": 50000 }""", false)]
    [TestCase("""{ "field": "Amount", "operator": "gt", "value": 50000 }""", false)]
    [TestCase("""{ "field": "Amount", "operator": "gte", "value": 50000 }""", true)]
    [TestCase("""{ "field": "Amount", "operator": "lt", "value": 50000.01 }""", true)]
    [TestCase("""{ "field": "Amount", "operator": "lte", "value": 49999 }""", false)]
    [TestCase("""{ "field": "Probability", "operator": "isNotSet" }""", true)]
    [TestCase("""{ "field": "Probability", "operator": "gte", "value": 0 }""", false)]
    [TestCase("""{ "field": "ForecastCategoryName", "operator": "eq", "value": "best case" }""", true)]
    [TestCase("""{ "field": "ForecastCategoryName", "operator": "ne", "value": "Commit" }""", true)]
    [TestCase("""{ "field": "Tier__c", "operator": "in", "values": ["SMB", "Enterprise"] }""", true)]
    [TestCase("""{ "field": "Tier__c", "operator": "notIn", "values": ["SMB", "Enterprise"] }""", false)]
    [TestCase("""{ "field": "NextStep", "operator": "contains", "value": "msa" }""", true)]
    [TestCase("""{ "field": "Strategic__c", "operator": "isTrue" }""", true)]
    [TestCase("""{ "field": "Strategic__c", "operator": "isFalse" }""", false)]
    [TestCase("""{ "field": "StageName", "operator": "eq", "value": "Qualification" }""", true)]
    [TestCase("""{ "field": "StageName", "operator": "in", "values": ["Prospecting", "Proposal"] }""", false)]
    [TestCase("""{ "field": "StageName", "operator": "notIn", "values": ["Prospecting", "Proposal"] }""", true)]
    [TestCase("""{ "field": "StageName", "operator": "atOrAfter", "value": "Qualification" }""", true)]
    [TestCase("""{ "field": "StageName", "operator": "atOrAfter", "value": "Proposal" }""", false)]
    [TestCase("""{ "field": "StageName", "operator": "before", "value": "Proposal" }""", true)]
    [TestCase("""{ "field": "ContactRoles.Roles", "operator": "containsAll", "values": ["champion", "Technical Buyer"] }""", true)]
    [TestCase("""{ "field": "ContactRoles.Roles", "operator": "containsAll", "values": ["Champion", "Economic Buyer"] }""", false)]
    [TestCase("""{ "field": "ContactRoles.Roles", "operator": "containsNone", "values": ["Economic Buyer"] }""", true)]
    [TestCase("""{ "field": "ContactRoles.DistinctRoles", "operator": "eq", "value": 2 }""", true)]
    [TestCase("""{ "field": "Renewal_Date__c", "operator": "daysSinceAtLeast", "value": 10 }""", true)]
    [TestCase("""{ "field": "Renewal_Date__c", "operator": "daysSinceAtLeast", "value": 11 }""", false)]
    [TestCase("""{ "field": "Renewal_Date__c", "operator": "daysSinceAtMost", "value": 10 }""", true)]
    [TestCase("""{ "field": "CloseDate", "operator": "daysUntilAtMost", "value": 60 }""", true)]
    [TestCase("""{ "field": "CloseDate", "operator": "daysUntilAtLeast", "value": 61 }""", false)]
    [TestCase("""{ "any": [ { "field": "Tier__c", "operator": "eq", "value": "SMB" }, { "field": "Strategic__c", "operator": "isTrue" } ] }""", true)]
    [TestCase("""{ "all": [ { "field": "Tier__c", "operator": "eq", "value": "Enterprise" }, { "field": "Strategic__c", "operator": "isFalse" } ] }""", false)]
    public void Should_apply_the_operator(string rule, bool expectedMet)
    {
        Assert.That(Evaluate(rule, Deal()).IsMet, Is.EqualTo(expectedMet));
    }

    [Test]
    public void Should_not_satisfy_a_negative_operator_on_a_missing_value()
    {
        var criterion = Evaluate("""{ "field": "Tier__c", "operator": "ne", "value": "SMB" }""", OpportunityBuilder.Open());

        Assert.That(criterion.IsMet, Is.False);
        Assert.That(criterion.Evidence.ToString(), Is.EqualTo("Tier__c = not recorded (rule: Tier__c is not 'SMB')"));
    }

    [Test]
    public void Should_compare_stages_of_a_stage_not_on_the_ladder_as_unknown()
    {
        var criterion = Evaluate("""{ "field": "StageName", "operator": "before", "value": "Proposal" }""", Deal().InStage("Legal Review"));

        Assert.That(criterion.IsMet, Is.False);
    }

    [Test]
    public void Should_read_a_number_custom_field_in_invariant_culture()
    {
        var criterion = Evaluate("""{ "field": "Seats__c", "operator": "gte", "value": 1000.5 }""",
            Deal().WithField("Seats__c", "1000.5"), """, { "name": "Seats__c", "type": "number" }""");

        Assert.That(criterion.IsMet, Is.True);
    }
}
