using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;

namespace PipelineCoach.Scoring.Tests.Engine;

[TestFixture]
public sealed class When_scoring_criteria_of_the_proactive_scorecard
{
    private static readonly CompiledScorecard Scorecard = ScorecardCompiler.Compile(DefaultScorecards.ProactiveQualification);

    /// <summary>A Negotiation/Review deal whose close date is its compelling event's date.</summary>
    private static OpportunityBuilder DealClosingOnItsEvent(DateOnly close) => OpportunityBuilder.Open().InStage("Negotiation/Review")
        .With(o => o with { CloseDate = close })
        .WithField("Compelling_Event_Date__c", close.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    private static ScoreResult Score(OpportunityBuilder opportunity)
    {
        var result = Scorecard.CreateResult();
        Scorecard.Score(Scorecard.CreateFacts(opportunity.Build()), OpportunityBuilder.AsOf, result);
        return result;
    }

    [Test]
    public void Should_meet_customer_close_date_when_the_close_date_falls_on_or_before_a_future_event()
    {
        var result = Score(OpportunityBuilder.Open().WithField("Compelling_Event_Date__c", "2025-06-30"));

        var criterion = result.Criterion("customer-close-date");
        Assert.That(criterion.Status, Is.EqualTo(CriterionStatus.Met));
        Assert.That(criterion.Points, Is.EqualTo(20));
        Assert.That(criterion.Evidence.Field, Is.EqualTo("Derived.DaysFromCloseToEvent"));
        Assert.That(criterion.Evidence.Value.ToString(), Is.EqualTo("48"));
        Assert.That(criterion.Reason, Is.EqualTo("Customer-driven close date: in place (days from the close date to the compelling event: 48)."));
    }

    [Test]
    public void Should_not_meet_customer_close_date_with_only_a_description_of_the_event()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Qualification").WithField("Compelling_Event__c", "Old licences expire"));

        var criterion = result.Criterion("customer-close-date");
        Assert.That(criterion.Status, Is.EqualTo(CriterionStatus.NotMet));
        Assert.That(criterion.Evidence.Field, Is.EqualTo("Compelling_Event_Date__c"));
        Assert.That(criterion.Reason, Is.EqualTo("Why this date? No customer event still ahead holds the close date in place."));
    }

    [Test]
    public void Should_not_meet_customer_close_date_when_the_event_has_passed()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Qualification").WithField("Compelling_Event_Date__c", "2025-03-01"));

        Assert.That(result.Criterion("customer-close-date").Status, Is.EqualTo(CriterionStatus.NotMet));
        Assert.That(result.Criterion("customer-close-date").Evidence.Field, Is.EqualTo("Compelling_Event_Date__c"));
    }

    [Test]
    public void Should_not_meet_customer_close_date_when_the_close_date_falls_after_the_event()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Qualification").WithField("Compelling_Event_Date__c", "2025-05-01"));

        var criterion = result.Criterion("customer-close-date");
        Assert.That(criterion.Status, Is.EqualTo(CriterionStatus.NotMet));
        Assert.That(criterion.Evidence.Field, Is.EqualTo("Derived.DaysFromCloseToEvent"));
        Assert.That(criterion.Evidence.Value.ToString(), Is.EqualTo("-12"));
    }

    /// <summary>
    /// The simulator's planted slipping deal: pushed three times, each push into the next quarter, with the compelling
    /// event moved along to the latest close date. A date the customer owns does not slip across quarter ends.
    /// </summary>
    [Test]
    public void Should_fail_customer_close_date_on_the_planted_slipping_deal()
    {
        var close = OpportunityBuilder.AsOf.AddDays(100);
        var result = Score(DealClosingOnItsEvent(close)
            .WithHistory(h => h with
            {
                CloseDatePushCount = 3, QuarterBoundariesCrossed = 3, TotalDaysPushed = 270,
                DateFieldPushCounts = new Dictionary<string, int> { ["Compelling_Event_Date__c"] = 3 },
            }));

        var criterion = result.Criterion("customer-close-date");
        Assert.That(criterion.Status, Is.EqualTo(CriterionStatus.NotMet));
        Assert.That(criterion.Evidence.Field, Is.EqualTo("History.CompellingEventMoves"));
    }

    [Test]
    public void Should_fail_customer_close_date_on_quarter_slips_when_the_event_history_is_not_followed()
    {
        var close = OpportunityBuilder.AsOf.AddDays(100);
        var result = Score(DealClosingOnItsEvent(close)
            .WithHistory(h => h with { CloseDatePushCount = 3, QuarterBoundariesCrossed = 3, TotalDaysPushed = 270 }));

        var criterion = result.Criterion("customer-close-date");
        Assert.That(criterion.Status, Is.EqualTo(CriterionStatus.NotMet));
        Assert.That(criterion.Evidence.Field, Is.EqualTo("History.QuarterBoundariesCrossed"));
    }

    /// <summary>
    /// A deal pushed within one quarter never trips the quarter-crossing guard, but an event moved later with each
    /// push is the seller's date, not the customer's: field history tells them apart.
    /// </summary>
    [TestCase(0, CriterionStatus.Met)]
    [TestCase(1, CriterionStatus.Met)]
    [TestCase(2, CriterionStatus.NotMet)]
    public void Should_fail_customer_close_date_when_the_event_keeps_moving_later(int eventMoves, CriterionStatus expected)
    {
        var close = OpportunityBuilder.AsOf.AddDays(30);
        var result = Score(DealClosingOnItsEvent(close)
            .WithHistory(h => h with
            {
                CloseDatePushCount = eventMoves,
                QuarterBoundariesCrossed = 0,
                DateFieldPushCounts = new Dictionary<string, int> { ["Compelling_Event_Date__c"] = eventMoves },
            }));

        var criterion = result.Criterion("customer-close-date");
        Assert.That(criterion.Status, Is.EqualTo(expected));
        if (expected == CriterionStatus.NotMet)
        {
            Assert.That(criterion.Evidence.Field, Is.EqualTo("History.CompellingEventMoves"));
            Assert.That(criterion.Evidence.Value.ToString(), Is.EqualTo("2"));
        }
    }

    [Test]
    public void Should_read_the_event_moves_whatever_the_case_sync_spells_the_field_in()
    {
        var close = OpportunityBuilder.AsOf.AddDays(30);
        var result = Score(DealClosingOnItsEvent(close)
            .WithHistory(h => h with { DateFieldPushCounts = new Dictionary<string, int> { ["COMPELLING_EVENT_DATE__C"] = 2 } }));

        Assert.That(result.Criterion("customer-close-date").Status, Is.EqualTo(CriterionStatus.NotMet));
        Assert.That(result.Criterion("customer-close-date").Evidence.Field, Is.EqualTo("History.CompellingEventMoves"));
    }

    [Test]
    public void Should_hold_customer_close_date_when_sync_does_not_follow_the_event_history()
    {
        var close = OpportunityBuilder.AsOf.AddDays(30);
        var result = Score(DealClosingOnItsEvent(close)
            .WithHistory(h => h with { DateFieldPushCounts = new Dictionary<string, int>() }));

        Assert.That(result.Criterion("customer-close-date").Status, Is.EqualTo(CriterionStatus.Met));
    }

    [Test]
    public void Should_not_yet_expect_customer_close_date_in_prospecting()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Prospecting"));

        Assert.That(result.Criterion("customer-close-date").Status, Is.EqualTo(CriterionStatus.NotYetExpected));
        Assert.That(result.Criterion("customer-close-date").Points, Is.Zero);
    }

    [Test]
    public void Should_report_customer_close_date_not_met_from_qualification_on()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Qualification"));

        var criterion = result.Criterion("customer-close-date");
        Assert.That(criterion.Status, Is.EqualTo(CriterionStatus.NotMet));
        Assert.That(criterion.Evidence.Field, Is.EqualTo("Compelling_Event_Date__c"));
        Assert.That(criterion.Evidence.Value.Kind, Is.EqualTo(FactKind.Missing));
    }

    [Test]
    public void Should_not_count_an_unreadable_compelling_event_date()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Qualification").WithField("Compelling_Event_Date__c", "next summer"));

        Assert.That(result.Criterion("customer-close-date").Status, Is.EqualTo(CriterionStatus.NotMet));
        Assert.That(result.Criterion("customer-close-date").Evidence.Value.ToString(), Is.EqualTo("unreadable 'next summer'"));
    }

    [TestCase("Executive_Sponsor__c")]
    [TestCase("Economic_Buyer__c")]
    public void Should_meet_executive_priority_with_a_named_executive_and_documented_pain(string executiveField)
    {
        var result = Score(OpportunityBuilder.Open().WithField(executiveField, "Dana CFO").WithField("Identified_Pain__c", "Month-end close takes 12 days"));

        Assert.That(result.Criterion("executive-priority").Status, Is.EqualTo(CriterionStatus.Met));
    }

    [Test]
    public void Should_meet_executive_priority_through_an_economic_buyer_contact_role()
    {
        var result = Score(OpportunityBuilder.Open().WithContact("Economic Buyer").WithField("Identified_Pain__c", "Churn"));

        Assert.That(result.Criterion("executive-priority").Status, Is.EqualTo(CriterionStatus.Met));
        Assert.That(result.Criterion("executive-priority").Evidence.Field, Is.EqualTo("Identified_Pain__c"));
    }

    [Test]
    public void Should_not_meet_executive_priority_without_documented_pain()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Needs Analysis").WithField("Executive_Sponsor__c", "Dana CFO"));

        var criterion = result.Criterion("executive-priority");
        Assert.That(criterion.Status, Is.EqualTo(CriterionStatus.NotMet));
        Assert.That(criterion.Evidence.Field, Is.EqualTo("Identified_Pain__c"));
        Assert.That(criterion.Evidence.Rule, Is.EqualTo("Identified_Pain__c is set"));
    }

    [Test]
    public void Should_not_meet_executive_priority_with_pain_but_no_executive()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Needs Analysis").WithField("Identified_Pain__c", "Churn"));

        Assert.That(result.Criterion("executive-priority").Status, Is.EqualTo(CriterionStatus.NotMet));
        Assert.That(result.Criterion("executive-priority").Evidence.Field, Is.EqualTo("Executive_Sponsor__c"));
    }

    [Test]
    public void Should_meet_buying_plan_when_process_and_criteria_are_known()
    {
        var result = Score(OpportunityBuilder.Open().WithField("Decision_Process__c", "IT review, then CFO sign-off").WithField("Decision_Criteria__c", "SOC 2, SSO"));

        Assert.That(result.Criterion("buying-plan").Status, Is.EqualTo(CriterionStatus.Met));
    }

    [Test]
    public void Should_not_meet_buying_plan_with_a_blank_decision_criteria_field()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Id. Decision Makers")
            .WithField("Decision_Process__c", "IT review").WithField("Decision_Criteria__c", "   "));

        Assert.That(result.Criterion("buying-plan").Status, Is.EqualTo(CriterionStatus.NotMet));
        Assert.That(result.Criterion("buying-plan").Evidence.Field, Is.EqualTo("Decision_Criteria__c"));
    }

    [Test]
    public void Should_meet_multi_threaded_at_three_contacts_including_a_decision_maker()
    {
        var result = Score(OpportunityBuilder.Open().WithContacts("Decision Maker", "Technical Buyer", null));

        Assert.That(result.Criterion("multi-threaded").Status, Is.EqualTo(CriterionStatus.Met));
    }

    [Test]
    public void Should_not_meet_multi_threaded_at_two_contacts()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Needs Analysis").WithContacts("Decision Maker", "Economic Buyer"));

        var criterion = result.Criterion("multi-threaded");
        Assert.That(criterion.Status, Is.EqualTo(CriterionStatus.NotMet));
        Assert.That(criterion.Evidence.Field, Is.EqualTo("ContactRoles.Count"));
        Assert.That(criterion.Evidence.Value.Number, Is.EqualTo(2));
    }

    [Test]
    public void Should_not_meet_multi_threaded_when_nobody_can_decide()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Needs Analysis").WithContacts("Influencer", "Technical Buyer", "Business User"));

        var criterion = result.Criterion("multi-threaded");
        Assert.That(criterion.Status, Is.EqualTo(CriterionStatus.NotMet));
        Assert.That(criterion.Evidence.Field, Is.EqualTo("ContactRoles.Roles"));
        Assert.That(criterion.Evidence.Value.ToString(), Does.Contain("Influencer"));
    }

    [Test]
    public void Should_meet_dated_next_step_with_a_next_step_date_today()
    {
        var result = Score(OpportunityBuilder.Open().WithField("Next_Step_Date__c", "2025-03-14"));

        Assert.That(result.Criterion("dated-next-step").Status, Is.EqualTo(CriterionStatus.Met));
    }

    [Test]
    public void Should_not_meet_dated_next_step_with_a_next_step_date_yesterday()
    {
        var result = Score(OpportunityBuilder.Open().WithField("Next_Step_Date__c", "2025-03-13"));

        Assert.That(result.Criterion("dated-next-step").Status, Is.EqualTo(CriterionStatus.NotMet));
    }

    [TestCase("Demo to the CFO on 2025-03-20", true)]
    [TestCase("Call back Tuesday", true)]
    [TestCase("Pricing review March 21", true)]
    [TestCase("Send proposal 21/3", true)]
    [TestCase("Follow up", false)]
    public void Should_read_a_date_in_the_next_step_text(string nextStep, bool expectedMet)
    {
        var result = Score(OpportunityBuilder.Open().With(o => o with { NextStep = nextStep }));

        Assert.That(result.Criterion("dated-next-step").IsMet, Is.EqualTo(expectedMet));
    }

    [Test]
    public void Should_add_the_weights_of_met_criteria_and_grade_the_score()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Id. Decision Makers")
            .WithField("Compelling_Event_Date__c", "2025-06-30")
            .WithField("Decision_Process__c", "IT review").WithField("Decision_Criteria__c", "SSO")
            .WithField("Next_Step_Date__c", "2025-03-20"));

        Assert.That(result.Score, Is.EqualTo(60));
        Assert.That(result.Grade, Is.EqualTo("B"));
        Assert.That(result.WinProbability, Is.EqualTo(0.3));
    }

    [Test]
    public void Should_carry_the_scorecard_and_source_versions()
    {
        var result = Score(OpportunityBuilder.Open());

        Assert.That(result.ScorecardId, Is.EqualTo("proactive-qualification"));
        Assert.That(result.ScorecardVersion, Is.EqualTo(1));
        Assert.That(result.OpportunityId, Is.EqualTo("006000000000001AAA"));
        Assert.That(result.SourceVersion, Is.EqualTo(new DateTimeOffset(2025, 3, 14, 8, 0, 0, TimeSpan.Zero)));
        Assert.That(result.AsOf, Is.EqualTo(OpportunityBuilder.AsOf));
    }

    [Test]
    public void Should_apply_every_stage_expectation_to_a_closed_opportunity()
    {
        var result = Score(OpportunityBuilder.Open().Closed(won: false));

        Assert.That(result.Criteria.Select(c => c.Status), Is.All.EqualTo(CriterionStatus.NotMet));
    }
}
