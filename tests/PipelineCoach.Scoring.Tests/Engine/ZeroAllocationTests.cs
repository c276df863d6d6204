using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;

namespace PipelineCoach.Scoring.Tests.Engine;

[TestFixture]
public sealed class When_scoring_into_a_preallocated_result
{
    [TestCase(DefaultScorecards.ProactiveQualificationId)]
    [TestCase(DefaultScorecards.MeddiccId)]
    public void Should_allocate_nothing(string scorecardId)
    {
        var scorecard = ScorecardCompiler.Compile(DefaultScorecards.All.Single(s => s.Id == scorecardId));
        var opportunities = new[]
        {
            OpportunityBuilder.Open().InStage("Proposal/Price Quote").InCurrentStageForDays(90)
                .WithHistory(h => h with { CloseDatePushCount = 4, QuarterBoundariesCrossed = 2 })
                .WithField("Discount_Percent__c", "30").WithContact("Champion").Build(),
            OpportunityBuilder.Open().InStage("Needs Analysis").WithContacts("Economic Buyer", "Decision Maker", "Champion")
                .WithField("Compelling_Event_Date__c", "2025-06-30").WithField("Identified_Pain__c", "Churn")
                .With(o => o with { NextStep = "Demo Tuesday" }).Build(),
        };
        var facts = opportunities.Select(scorecard.CreateFacts).ToArray();
        var result = scorecard.CreateResult();
        foreach (var f in facts)
        {
            scorecard.Score(f, OpportunityBuilder.AsOf, result);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            scorecard.Score(facts[i % facts.Length], OpportunityBuilder.AsOf, result);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
        Assert.That(result.Score, Is.GreaterThan(0), "the loop really scored");
    }

    [Test]
    public void Should_allocate_nothing_when_reloading_facts_from_a_message()
    {
        var scorecard = ScorecardCompiler.Compile(DefaultScorecards.ProactiveQualification);
        var message = OpportunityBuilder.Open().WithContacts("Champion", "Economic Buyer")
            .WithField("Compelling_Event_Date__c", "2025-06-30").WithField("Discount_Percent__c", "12.5")
            .With(o => o with { NextStep = "Call on 2025-03-20" }).Build();
        var facts = scorecard.CreateFacts(message);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            facts.Load(message);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(facts["Discount_Percent__c"].Number, Is.EqualTo(12.5));
    }
}
