using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;

namespace PipelineCoach.Scoring.Tests.Engine;

/// <summary>A scorecard compiled with the org's own normal stage durations in place of its stages' <c>normalDays</c>.</summary>
[TestFixture]
public sealed class When_compiling_a_scorecard_with_the_orgs_stage_norms
{
    private static readonly CompiledScorecard AsWritten = ScorecardCompiler.Compile(DefaultScorecards.ProactiveQualification);

    private static ScoreResult Score(CompiledScorecard scorecard, OpportunityBuilder opportunity)
    {
        var result = scorecard.CreateResult();
        scorecard.Score(scorecard.CreateFacts(opportunity.Build()), OpportunityBuilder.AsOf, result);
        return result;
    }

    private static OpportunityBuilder InNeedsAnalysisForDays(int days) => OpportunityBuilder.Open()
        .InStage("Needs Analysis")
        .InCurrentStageForDays(days)
        .WithContacts("Economic Buyer", "Decision Maker", "Champion");

    [Test]
    public void Should_judge_time_in_stage_against_the_orgs_figure_and_quote_it()
    {
        // The org's deals spend about 5 days in Needs Analysis; the scorecard says 21.
        var compiled = ScorecardCompiler.Compile(DefaultScorecards.ProactiveQualification,
            new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["needs analysis"] = 5 });

        var stalled = Score(compiled, InNeedsAnalysisForDays(12)).Flag("stalled");
        Assert.That(stalled.Raised, Is.True);
        Assert.That(stalled.Reason, Is.EqualTo("Stalled: 12 days in Needs Analysis, where about 5 is normal."));
        Assert.That(Score(AsWritten, InNeedsAnalysisForDays(12)).Flag("stalled").Raised, Is.False, "12 days is well within the scorecard's 21");
    }

    [Test]
    public void Should_keep_the_scorecards_figure_for_a_stage_the_org_has_none_for()
    {
        var compiled = ScorecardCompiler.Compile(DefaultScorecards.ProactiveQualification, new Dictionary<string, int> { ["Prospecting"] = 3 });

        var stalled = Score(compiled, InNeedsAnalysisForDays(42)).Flag("stalled");
        Assert.That(stalled.Raised, Is.True);
        Assert.That(stalled.Reason, Is.EqualTo("Stalled: 42 days in Needs Analysis, where about 21 is normal."));
        Assert.That(Score(compiled, InNeedsAnalysisForDays(41)).Flag("stalled").Raised, Is.False);
    }

    [Test]
    public void Should_keep_the_scorecards_identity_and_definition_as_stored()
    {
        var compiled = ScorecardCompiler.Compile(DefaultScorecards.ProactiveQualification, new Dictionary<string, int> { ["Needs Analysis"] = 5 });

        Assert.That((compiled.Id, compiled.Version), Is.EqualTo((AsWritten.Id, AsWritten.Version)));
        Assert.That(compiled.Definition, Is.SameAs(DefaultScorecards.ProactiveQualification));
        Assert.That(compiled.Definition.Stages.Single(s => s.Name == "Needs Analysis").NormalDays, Is.EqualTo(21), "the org's figure is not written into the scorecard");
    }

    [Test]
    public void Should_sum_the_normal_cycle_from_the_figures_in_use()
    {
        // The standard ladder sums to 147 days; the org's 10 days in each of the three 21-day stages before
        // Perception Analysis bring it to 114, so a 120-day-old deal is past a whole cycle.
        var compiled = ScorecardCompiler.Compile(DefaultScorecards.ProactiveQualification, new Dictionary<string, int>
        {
            ["Needs Analysis"] = 10, ["Value Proposition"] = 10, ["Id. Decision Makers"] = 10,
        });
        var deal = When_scoring_a_deal_a_sales_leader_can_trust.LongNeglected(ageDays: 120);

        var chase = Score(compiled, deal).Flag("chase-or-close");
        Assert.That(chase.Raised, Is.True);
        Assert.That(chase.Reason, Does.StartWith("Chase or close: 120 days old against a normal cycle of 114,"));
        Assert.That(Score(AsWritten, deal).Flag("chase-or-close").Raised, Is.False, "within the scorecard's 147-day cycle");
    }

    [Test]
    public void Should_refuse_a_normal_duration_that_is_not_positive()
    {
        Assert.That(() => ScorecardCompiler.Compile(DefaultScorecards.ProactiveQualification, new Dictionary<string, int> { ["Needs Analysis"] = 0 }),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("'Needs Analysis' has 0"));
    }
}
