using PipelineCoach.Scoring.PipelineHealth;

namespace PipelineCoach.Scoring.Tests.PipelineHealth;

/// <summary>The org's stage norms scoring compiles with: only org-history figures, and a new generation only on change.</summary>
public sealed class When_refreshing_the_orgs_stage_norms
{
    private static StageDuration Org(string stage, int days) => new(stage, days, StageDurations.OrgHistory, 25, days, 21);

    private static StageDuration Default(string stage) => new(stage, 21, StageDurations.ScorecardDefault, 3, 4, 21);

    [Test]
    public void Should_take_only_the_stages_with_enough_history()
    {
        var norms = new StageNorms();
        Assert.That(norms.Current, Is.SameAs(StageNormFigures.None));

        Assert.That(norms.Update([Org("Needs Analysis", 5), Default("Qualification")]), Is.True);

        Assert.That(norms.Current.Generation, Is.EqualTo(1));
        Assert.That(norms.Current.DaysByStage, Is.EquivalentTo(new Dictionary<string, int> { ["Needs Analysis"] = 5 }));
        Assert.That(norms.Current.DaysByStage["needs analysis"], Is.EqualTo(5), "stage names match case-insensitively, as on the scorecard");
    }

    [Test]
    public void Should_move_to_a_new_generation_only_when_a_figure_changes()
    {
        var norms = new StageNorms();
        norms.Update([Org("Needs Analysis", 5)]);

        Assert.That(norms.Update([Org("Needs Analysis", 5), Default("Qualification")]), Is.False, "the same figures");
        Assert.That(norms.Current.Generation, Is.EqualTo(1));
        Assert.That(norms.Update([Org("Needs Analysis", 6)]), Is.True);
        Assert.That(norms.Update([Org("Needs Analysis", 6), Org("Qualification", 9)]), Is.True, "a stage gained enough history");
        Assert.That(norms.Update([Default("Needs Analysis"), Default("Qualification")]), Is.True, "history gone: back to the scorecards'");
        Assert.That((norms.Current.Generation, norms.Current.DaysByStage.Count), Is.EqualTo((4L, 0)));
    }
}
