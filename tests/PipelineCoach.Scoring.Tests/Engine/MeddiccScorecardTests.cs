using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;

namespace PipelineCoach.Scoring.Tests.Engine;

[TestFixture]
public sealed class When_scoring_with_the_meddicc_scorecard
{
    private static readonly CompiledScorecard Scorecard = ScorecardCompiler.Compile(DefaultScorecards.Meddicc);

    private static ScoreResult Score(OpportunityBuilder opportunity)
    {
        var result = Scorecard.CreateResult();
        Scorecard.Score(Scorecard.CreateFacts(opportunity.Build()), OpportunityBuilder.AsOf, result);
        return result;
    }

    [TestCase("metrics", "Metrics__c")]
    [TestCase("economic-buyer", "Economic_Buyer__c")]
    [TestCase("decision-criteria", "Decision_Criteria__c")]
    [TestCase("decision-process", "Decision_Process__c")]
    [TestCase("identify-pain", "Identified_Pain__c")]
    [TestCase("champion", "Champion__c")]
    [TestCase("competition", "Competition__c")]
    public void Should_meet_each_element_from_its_custom_field(string criterionId, string field)
    {
        var met = Score(OpportunityBuilder.Open().WithField(field, "documented"));
        var missing = Score(OpportunityBuilder.Open().Closed(won: true));

        Assert.That(met.Criterion(criterionId).Status, Is.EqualTo(CriterionStatus.Met));
        Assert.That(met.Criterion(criterionId).Evidence.Field, Is.EqualTo(field));
        Assert.That(missing.Criterion(criterionId).Status, Is.EqualTo(CriterionStatus.NotMet));
    }

    [TestCase("economic-buyer", "Economic Buyer")]
    [TestCase("champion", "champion")]
    public void Should_meet_people_elements_from_contact_roles(string criterionId, string role)
    {
        var result = Score(OpportunityBuilder.Open().WithContact(role));

        Assert.That(result.Criterion(criterionId).Status, Is.EqualTo(CriterionStatus.Met));
        Assert.That(result.Criterion(criterionId).Evidence.Field, Is.EqualTo("ContactRoles.Roles"));
    }

    [Test]
    public void Should_expect_the_economic_buyer_by_proposal()
    {
        var before = Score(OpportunityBuilder.Open().InStage("Perception Analysis"));
        var at = Score(OpportunityBuilder.Open().InStage("Proposal/Price Quote"));

        Assert.That(before.Criterion("economic-buyer").Status, Is.EqualTo(CriterionStatus.NotYetExpected));
        Assert.That(at.Criterion("economic-buyer").Status, Is.EqualTo(CriterionStatus.NotMet));
    }

    [Test]
    public void Should_score_one_hundred_when_every_element_is_known()
    {
        var result = Score(OpportunityBuilder.Open()
            .WithField("Metrics__c", "Cut close from 12 to 4 days").WithField("Economic_Buyer__c", "CFO")
            .WithField("Decision_Criteria__c", "SSO").WithField("Decision_Process__c", "IT then CFO")
            .WithField("Identified_Pain__c", "Late close").WithField("Champion__c", "Controller")
            .WithField("Competition__c", "Spreadsheets"));

        Assert.That(result.Score, Is.EqualTo(100));
        Assert.That(result.Grade, Is.EqualTo("A"));
    }

    [Test]
    public void Should_raise_premature_presentation_with_an_unknown_element_in_proposal()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Proposal/Price Quote").WithContacts("Economic Buyer", "Champion"));

        Assert.That(result.Flag("premature-presentation").Raised, Is.True);
        Assert.That(result.Flag("premature-presentation").Reason, Is.EqualTo("Premature presentation: reached Proposal/Price Quote with 5 MEDDICC element(s) still unknown (listed under what is missing now)."));
    }
}
