using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;

namespace PipelineCoach.Scoring.Tests.Engine;

[TestFixture]
public sealed class When_mapping_an_opportunity_changed_message_to_facts
{
    private static readonly CompiledScorecard Scorecard = ScorecardCompiler.Compile(DefaultScorecards.ProactiveQualification);

    [TestCase("2025-06-30", "2025-06-30")]
    [TestCase("2025-06-30T23:30:00Z", "2025-06-30")]
    [TestCase("2025-06-30T23:30:00-05:00", "2025-07-01")]
    public void Should_read_date_custom_fields_as_utc_dates(string raw, string expected)
    {
        var facts = Scorecard.CreateFacts(OpportunityBuilder.Open().WithField("Compelling_Event_Date__c", raw).Build());

        Assert.That(facts["Compelling_Event_Date__c"].ToString(), Is.EqualTo(expected));
    }

    [TestCase("12.5", FactKind.Number)]
    [TestCase("12,5", FactKind.Unparseable)]
    [TestCase("", FactKind.Missing)]
    [TestCase(null, FactKind.Missing)]
    public void Should_read_number_custom_fields_in_invariant_culture(string? raw, FactKind expected)
    {
        var facts = Scorecard.CreateFacts(OpportunityBuilder.Open().WithField("Discount_Percent__c", raw).Build());

        Assert.That(facts["Discount_Percent__c"].Kind, Is.EqualTo(expected));
    }

    [TestCase("true", true)]
    [TestCase("1", true)]
    [TestCase("false", false)]
    public void Should_read_boolean_custom_fields(string raw, bool expected)
    {
        Assert.That(OpportunityFactsMapper.ParseCustomField(FactType.Boolean, raw).Boolean, Is.EqualTo(expected));
    }

    [Test]
    public void Should_count_contacts_and_distinct_roles()
    {
        var facts = Scorecard.CreateFacts(OpportunityBuilder.Open().WithContacts("Champion", "champion", "Economic Buyer", null).Build());

        Assert.That(facts["ContactRoles.Count"].Number, Is.EqualTo(4));
        Assert.That(facts["ContactRoles.DistinctRoles"].Number, Is.EqualTo(2));
        Assert.That(facts["ContactRoles.Roles"].ToString(), Is.EqualTo("4 contact(s): Champion, Economic Buyer (+1 without a role)"));
    }

    [Test]
    public void Should_place_a_closed_opportunity_past_every_stage_and_an_unknown_open_stage_nowhere()
    {
        var closed = Scorecard.CreateFacts(OpportunityBuilder.Open().Closed(won: true).Build());
        var unknown = Scorecard.CreateFacts(OpportunityBuilder.Open().InStage("Legal Review").Build());

        Assert.That(closed["StageName"].Number, Is.EqualTo(8));
        Assert.That(unknown["StageName"].Number, Is.EqualTo(-1));
    }

    [Test]
    public void Should_carry_the_identity_and_version_of_the_message()
    {
        var message = OpportunityBuilder.Open().With(o => o with { OwnerId = "005000000000001AAA" }).Build();

        var facts = Scorecard.CreateFacts(message);

        Assert.That(facts.OpportunityId, Is.EqualTo(message.OpportunityId));
        Assert.That(facts.OwnerId, Is.EqualTo("005000000000001AAA"));
        Assert.That(facts.SourceVersion, Is.EqualTo(message.SourceVersion));
    }

    [Test]
    public void Should_reject_facts_from_another_scorecard()
    {
        var meddicc = ScorecardCompiler.Compile(DefaultScorecards.Meddicc);

        Assert.Throws<ArgumentException>(() => Scorecard.Score(meddicc.CreateFacts(), OpportunityBuilder.AsOf, Scorecard.CreateResult()));
    }
}
