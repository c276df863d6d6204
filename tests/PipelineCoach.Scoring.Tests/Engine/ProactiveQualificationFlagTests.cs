using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;

namespace PipelineCoach.Scoring.Tests.Engine;

[TestFixture]
public sealed class When_raising_flags_of_the_proactive_scorecard
{
    private static readonly CompiledScorecard Scorecard = ScorecardCompiler.Compile(DefaultScorecards.ProactiveQualification);

    /// <summary>A well-run deal in Needs Analysis that raises no flag; each test breaks one thing.</summary>
    private static OpportunityBuilder Healthy() => OpportunityBuilder.Open()
        .InStage("Needs Analysis")
        .InCurrentStageForDays(5)
        .WithContacts("Economic Buyer", "Decision Maker", "Champion")
        .With(o => o with { NextStep = "Workshop on 2025-03-20", LastActivityDate = OpportunityBuilder.AsOf.AddDays(-2) });

    private static FlagResult Flag(OpportunityBuilder opportunity, string flagId)
    {
        var result = Scorecard.CreateResult();
        Scorecard.Score(Scorecard.CreateFacts(opportunity.Build()), OpportunityBuilder.AsOf, result);
        return result.Flag(flagId);
    }

    [Test]
    public void Should_raise_no_flag_on_a_healthy_deal()
    {
        var result = Scorecard.CreateResult();
        Scorecard.Score(Scorecard.CreateFacts(Healthy().Build()), OpportunityBuilder.AsOf, result);

        Assert.That(result.RaisedFlagIds(), Is.Empty);
        Assert.That(result.RaisedFlagCount, Is.Zero);
    }

    [TestCase(2, 1, false)]
    [TestCase(3, 0, true)]
    [TestCase(1, 2, true)]
    public void Should_raise_slipping_at_three_pushes_or_two_quarters(int pushes, int quarters, bool expected)
    {
        var flag = Flag(Healthy().WithHistory(h => h with { CloseDatePushCount = pushes, QuarterBoundariesCrossed = quarters, TotalDaysPushed = 95 }), "slipping");

        Assert.That(flag.Raised, Is.EqualTo(expected));
    }

    [Test]
    public void Should_explain_slipping_with_the_push_history()
    {
        var flag = Flag(Healthy().WithHistory(h => h with { CloseDatePushCount = 3, QuarterBoundariesCrossed = 2, TotalDaysPushed = 120 }), "slipping");

        Assert.That(flag.Reason, Is.EqualTo("Slipping: close date pushed out 3 times, across 2 quarter ends (120 days in all)."));
        Assert.That(flag.Evidence.Field, Is.EqualTo("History.CloseDatePushCount"));
    }

    [Test]
    public void Should_not_raise_slipping_without_history()
    {
        Assert.That(Flag(Healthy().WithoutHistory(), "slipping").Raised, Is.False);
    }

    [TestCase(41, false)]
    [TestCase(42, true)]
    public void Should_raise_stalled_at_twice_the_normal_stage_duration(int daysInStage, bool expected)
    {
        // Needs Analysis normally takes 21 days.
        var flag = Flag(Healthy().InCurrentStageForDays(daysInStage), "stalled");

        Assert.That(flag.Raised, Is.EqualTo(expected));
        Assert.That(flag.Reason, Is.EqualTo(expected
            ? $"Stalled: {daysInStage} days in Needs Analysis, where about 21 is normal."
            : "Stalled: not raised (time in stage against normal: 1.95)."));
    }

    [Test]
    public void Should_fall_back_to_the_first_entry_into_the_stage_when_the_current_entry_is_unknown()
    {
        var flag = Flag(Healthy().WithHistory(h => h with
        {
            CurrentStageEnteredAt = null,
            StageEnteredAt = new Dictionary<string, DateTimeOffset> { ["Needs Analysis"] = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) },
        }), "stalled");

        Assert.That(flag.Raised, Is.True);
    }

    [Test]
    public void Should_not_raise_stalled_on_a_stage_outside_the_ladder()
    {
        var flag = Flag(Healthy().InStage("Custom Stage").InCurrentStageForDays(400), "stalled");

        Assert.That(flag.Raised, Is.False);
    }

    [Test]
    public void Should_raise_premature_presentation_in_proposal_with_weak_qualification()
    {
        var flag = Flag(Healthy().InStage("Proposal/Price Quote"), "premature-presentation");

        Assert.That(flag.Raised, Is.True);
        Assert.That(flag.Reason, Is.EqualTo("Premature presentation: reached Proposal/Price Quote with a qualification score of 40 and 3 expected criteria still missing (listed under what is missing now)."));
    }

    [Test]
    public void Should_not_raise_premature_presentation_at_a_score_of_sixty()
    {
        var flag = Flag(Healthy().InStage("Proposal/Price Quote").WithField("Compelling_Event_Date__c", "2025-06-01"), "premature-presentation");

        Assert.That(flag.Raised, Is.False);
    }

    [Test]
    public void Should_not_raise_premature_presentation_before_proposal()
    {
        Assert.That(Flag(Healthy().InStage("Perception Analysis"), "premature-presentation").Raised, Is.False);
    }

    [TestCase("19.99", false)]
    [TestCase("20", true)]
    [TestCase("35.5", true)]
    public void Should_raise_maverick_discounting_from_twenty_percent(string discount, bool expected)
    {
        var flag = Flag(Healthy().WithField("Discount_Percent__c", discount), "maverick-discounting");

        Assert.That(flag.Raised, Is.EqualTo(expected));
    }

    [Test]
    public void Should_explain_maverick_discounting_with_the_days_to_close()
    {
        var flag = Flag(Healthy().WithField("Discount_Percent__c", "30").With(o => o with { CloseDate = OpportunityBuilder.AsOf.AddDays(10) }), "maverick-discounting");

        Assert.That(flag.Reason, Is.EqualTo("Maverick discounting: a 30% discount with 10 days to the close date; customer's compelling event: not recorded."));
    }

    [TestCase(1, "Needs Analysis", true)]
    [TestCase(0, "Qualification", true)]
    [TestCase(2, "Needs Analysis", false)]
    [TestCase(1, "Prospecting", false)]
    public void Should_raise_single_threaded_with_one_contact_past_prospecting(int contacts, string stage, bool expected)
    {
        var opportunity = OpportunityBuilder.Open().InStage(stage).InCurrentStageForDays(1)
            .With(o => o with { NextStep = "Call Monday" });
        for (var i = 0; i < contacts; i++)
        {
            opportunity.WithContact("Champion");
        }

        Assert.That(Flag(opportunity, "single-threaded").Raised, Is.EqualTo(expected));
    }

    [Test]
    public void Should_raise_no_next_step_when_neither_text_nor_date_is_recorded()
    {
        var flag = Flag(Healthy().With(o => o with { NextStep = null }), "no-next-step");

        Assert.That(flag.Raised, Is.True);
        Assert.That(flag.Reason, Is.EqualTo("No next step: nothing agreed is still ahead (next step: not recorded; next step date: not recorded; date in its text: not recorded)."));
    }

    [TestCase("2025-03-13", true)]
    [TestCase("2025-03-14", false)]
    public void Should_raise_no_next_step_once_the_next_step_date_has_passed(string nextStepDate, bool expected)
    {
        var flag = Flag(Healthy().WithField("Next_Step_Date__c", nextStepDate), "no-next-step");

        Assert.That(flag.Raised, Is.EqualTo(expected));
    }

    [TestCase(13, false)]
    [TestCase(14, true)]
    public void Should_raise_stale_activity_after_fourteen_quiet_days(int daysSinceActivity, bool expected)
    {
        var flag = Flag(Healthy().With(o => o with { LastActivityDate = OpportunityBuilder.AsOf.AddDays(-daysSinceActivity) }), "stale-activity");

        Assert.That(flag.Raised, Is.EqualTo(expected));
    }

    [TestCase(13, false)]
    [TestCase(20, true)]
    public void Should_raise_stale_activity_on_a_deal_never_worked_once_it_is_two_weeks_old(int ageDays, bool expected)
    {
        var flag = Flag(Healthy().With(o => o with
        {
            LastActivityDate = null,
            CreatedDate = new DateTimeOffset(OpportunityBuilder.AsOf.AddDays(-ageDays), TimeOnly.MinValue, TimeSpan.Zero),
        }), "stale-activity");

        Assert.That(flag.Raised, Is.EqualTo(expected));
    }

    [Test]
    public void Should_raise_no_flag_on_a_closed_deal()
    {
        var result = Scorecard.CreateResult();
        var closedAndNeglected = Healthy().Closed(won: false)
            .WithHistory(h => h with { CloseDatePushCount = 5 })
            .With(o => o with { NextStep = null, LastActivityDate = null });

        Scorecard.Score(Scorecard.CreateFacts(closedAndNeglected.Build()), OpportunityBuilder.AsOf, result);

        Assert.That(result.RaisedFlagIds(), Is.Empty);
        Assert.That(result.Flag("slipping").Evidence.Field, Is.EqualTo("IsClosed"));
    }
}
