using System.Text.Json;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;

namespace PipelineCoach.Scoring.Tests.Engine;

[TestFixture]
public sealed class When_diffing_scores
{
    private static readonly CompiledScorecard Scorecard = ScorecardCompiler.Compile(DefaultScorecards.Meddicc);
    private static readonly CompiledScorecard Proactive = ScorecardCompiler.Compile(DefaultScorecards.ProactiveQualification);

    private static OpportunityBuilder InProposal() => OpportunityBuilder.Open().InStage("Proposal/Price Quote")
        .WithContacts("Champion", "Technical Buyer")
        .WithField("Metrics__c", "4-day close").WithField("Identified_Pain__c", "Late close");

    [Test]
    public void Should_give_a_first_score_the_same_reasons_from_the_result_as_from_its_snapshot()
    {
        var message = OpportunityBuilder.Open().InStage("Negotiation/Review").WithContact("Champion")
            .WithHistory(h => h with { CloseDatePushCount = 4, QuarterBoundariesCrossed = 2 })
            .With(o => o with { NextStep = null }).Build();
        var result = Proactive.CreateResult();
        Proactive.Score(Proactive.CreateFacts(message), OpportunityBuilder.AsOf, result);

        var fromResult = ScoreDiff.FirstScoreReasons(result);

        Assert.That(fromResult, Is.EqualTo(ScoreDiff.Compare(null, result.ToSnapshot()).Reasons));
        Assert.That(fromResult, Has.Count.GreaterThan(1), "the raised flags are among the reasons");
    }

    [Test]
    public void Should_report_a_criterion_now_met_with_its_evidence()
    {
        var before = Scorecard.Evaluate(InProposal().Build(), OpportunityBuilder.AsOf);
        var after = Scorecard.Evaluate(InProposal().WithField("Economic_Buyer__c", "Dana (CFO)").Build(), OpportunityBuilder.AsOf);

        var change = ScoreDiff.Compare(before, after);

        Assert.That(change.HasChanged, Is.True);
        Assert.That(change.ScoreChanged, Is.True);
        Assert.That(change.PreviousScore, Is.EqualTo(before.Score));
        Assert.That(change.Reasons, Does.Contain("Economic buyer known is now in place."));
        Assert.That(change.Reasons, Does.Contain($"Score {before.Score} → {after.Score} (grade C)."));
    }

    [Test]
    public void Should_report_a_criterion_no_longer_met()
    {
        var before = Scorecard.Evaluate(InProposal().Build(), OpportunityBuilder.AsOf);
        var after = Scorecard.Evaluate(InProposal().WithField("Metrics__c", null).Build(), OpportunityBuilder.AsOf);

        var change = ScoreDiff.Compare(before, after);

        Assert.That(change.Reasons, Does.Contain("Metrics quantified no longer holds. What will they measure? Quantify the outcome the customer expects."));
    }

    [Test]
    public void Should_report_a_criterion_that_became_expected_when_the_stage_advanced()
    {
        var before = Scorecard.Evaluate(OpportunityBuilder.Open().InStage("Perception Analysis").Build(), OpportunityBuilder.AsOf);
        var after = Scorecard.Evaluate(OpportunityBuilder.Open().InStage("Proposal/Price Quote").Build(), OpportunityBuilder.AsOf);

        var change = ScoreDiff.Compare(before, after);

        Assert.That(change.Reasons, Does.Contain("Economic buyer known is now expected from Proposal/Price Quote on. Who signs? No economic buyer is named yet."));
        Assert.That(change.ScoreChanged, Is.False);
    }

    [Test]
    public void Should_report_a_raised_flag_with_its_reason()
    {
        var quiet = OpportunityBuilder.Open().InStage("Needs Analysis").WithContacts("Champion", "Economic Buyer")
            .With(o => o with { NextStep = "Call Monday" });
        var before = Proactive.Evaluate(quiet.Build(), OpportunityBuilder.AsOf);
        var after = Proactive.Evaluate(quiet.WithHistory(h => h with { CloseDatePushCount = 3, QuarterBoundariesCrossed = 2, TotalDaysPushed = 150 }).Build(), OpportunityBuilder.AsOf);

        var change = ScoreDiff.Compare(before, after);

        Assert.That(change.FlagsChanged, Is.True);
        Assert.That(change.ScoreChanged, Is.False);
        Assert.That(change.RaisedFlags, Is.EqualTo(new[] { "slipping" }));
        Assert.That(change.Reasons, Is.EqualTo(new[] { "Slipping: close date pushed out 3 times, across 2 quarter ends (150 days in all)." }));
    }

    [Test]
    public void Should_report_a_cleared_flag()
    {
        var neglected = OpportunityBuilder.Open().InStage("Needs Analysis").WithContacts("Champion", "Economic Buyer")
            .With(o => o with { NextStep = "Call Monday", LastActivityDate = OpportunityBuilder.AsOf.AddDays(-30) });
        var before = Proactive.Evaluate(neglected.Build(), OpportunityBuilder.AsOf);
        var after = Proactive.Evaluate(neglected.With(o => o with { LastActivityDate = OpportunityBuilder.AsOf }).Build(), OpportunityBuilder.AsOf);

        var change = ScoreDiff.Compare(before, after);

        Assert.That(change.ClearedFlags, Is.EqualTo(new[] { "stale-activity" }));
        Assert.That(change.PreviousFlags, Is.EqualTo(new[] { "stale-activity" }));
        Assert.That(change.Reasons, Is.EqualTo(new[] { "Stale activity cleared." }));
    }

    [Test]
    public void Should_report_no_change_when_only_evidence_differs()
    {
        var before = Scorecard.Evaluate(InProposal().WithField("Metrics__c", "4-day close").Build(), OpportunityBuilder.AsOf);
        var after = Scorecard.Evaluate(InProposal().WithField("Metrics__c", "3-day close").Build(), OpportunityBuilder.AsOf);

        var change = ScoreDiff.Compare(before, after);

        Assert.That(change.HasChanged, Is.False);
        Assert.That(change.Reasons, Is.Empty);
    }

    [Test]
    public void Should_treat_the_first_score_as_a_change()
    {
        var first = Proactive.Evaluate(OpportunityBuilder.Open().InStage("Needs Analysis").Build(), OpportunityBuilder.AsOf);

        var change = ScoreDiff.Compare(null, first);

        Assert.That(change.IsFirstScore, Is.True);
        Assert.That(change.HasChanged, Is.True);
        Assert.That(change.Reasons[0], Is.EqualTo("First score 0, grade D (scorecard proactive-qualification v1)."));
        Assert.That(change.Reasons, Does.Contain("No next step: nothing agreed is still ahead (next step: not recorded; next step date: not recorded; date in its text: not recorded)."));
    }

    [Test]
    public void Should_name_a_scorecard_version_change()
    {
        var v2 = ScorecardCompiler.Compile(DefaultScorecards.Meddicc with { Version = 2 });
        var before = Scorecard.Evaluate(InProposal().Build(), OpportunityBuilder.AsOf);
        var after = v2.Evaluate(InProposal().Build(), OpportunityBuilder.AsOf);

        var change = ScoreDiff.Compare(before, after);

        Assert.That(change.Reasons, Is.EqualTo(new[] { "Now scored with scorecard meddicc v2 (was meddicc v1)." }));
        Assert.That(change.HasChanged, Is.False);
    }

    [Test]
    public void Should_serialise_a_snapshot_for_storage_and_read_it_back()
    {
        var snapshot = Proactive.Evaluate(OpportunityBuilder.Open().InStage("Needs Analysis").WithField("Identified_Pain__c", "Churn").Build(), OpportunityBuilder.AsOf);

        var json = JsonSerializer.Serialize(snapshot, JsonSerializerOptions.Web);
        var again = JsonSerializer.Deserialize<ScoreSnapshot>(json, JsonSerializerOptions.Web)!;

        Assert.That(json, Does.Contain("\"status\":\"NotMet\""));
        Assert.That(again.Criteria, Is.EqualTo(snapshot.Criteria));
        Assert.That(again.Flags, Is.EqualTo(snapshot.Flags));
        Assert.That(ScoreDiff.Compare(snapshot, again).HasChanged, Is.False);
    }
}
