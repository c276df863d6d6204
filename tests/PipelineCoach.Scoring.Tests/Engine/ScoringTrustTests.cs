using System.Globalization;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;

namespace PipelineCoach.Scoring.Tests.Engine;

/// <summary>The rules that make a score readable and fair to a sales leader, pinned on hand-built deals.</summary>
[TestFixture]
public sealed class When_scoring_a_deal_a_sales_leader_can_trust
{
    private static readonly CompiledScorecard Proactive = ScorecardCompiler.Compile(DefaultScorecards.ProactiveQualification);
    private static readonly CompiledScorecard Meddicc = ScorecardCompiler.Compile(DefaultScorecards.Meddicc);

    private static ScoreResult Score(OpportunityBuilder opportunity, CompiledScorecard? scorecard = null, DateOnly? asOf = null)
    {
        scorecard ??= Proactive;
        var result = scorecard.CreateResult();
        scorecard.Score(scorecard.CreateFacts(opportunity.Build()), asOf ?? OpportunityBuilder.AsOf, result);
        return result;
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Test]
    public void Should_read_a_fresh_prospecting_deal_with_what_prospecting_asks_for_as_on_track()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Prospecting").With(o => o with { NextStep = "Discovery call on 2025-03-18" }));

        Assert.That(result.Readiness, Is.EqualTo("on-track"));
        Assert.That(result.Score, Is.EqualTo(100), "the one criterion Prospecting expects is met; nothing not yet due costs points");
        Assert.That(result.Grade, Is.EqualTo("A"));
        Assert.That(result.ToSnapshot().MissingNow, Is.Empty);
    }

    [Test]
    public void Should_give_a_prospecting_deal_that_nothing_is_expected_of_yet_the_middle_of_the_scale()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Prospecting"), Meddicc);

        Assert.That((result.Score, result.Grade, result.Readiness), Is.EqualTo((50, "C", "on-track")));
    }

    [Test]
    public void Should_count_work_done_early_without_penalising_what_is_not_due()
    {
        var early = Score(OpportunityBuilder.Open().InStage("Prospecting").WithField("Next_Step_Date__c", "2025-03-20")
            .WithField("Decision_Process__c", "IT review").WithField("Decision_Criteria__c", "SSO"));

        Assert.That(early.Score, Is.EqualTo(100));
        Assert.That(early.Criterion("buying-plan").Status, Is.EqualTo(CriterionStatus.Met));
        Assert.That(early.Criterion("executive-priority").Status, Is.EqualTo(CriterionStatus.NotYetExpected));
    }

    [Test]
    public void Should_say_what_is_missing_now_with_a_coaching_prompt()
    {
        var snapshot = Score(OpportunityBuilder.Open().InStage("Proposal/Price Quote").WithContacts("Champion"), Meddicc).ToSnapshot();

        Assert.That(snapshot.Readiness, Is.EqualTo("behind"));
        Assert.That(snapshot.MissingNow.Select(m => m.Criterion), Does.Contain("economic-buyer"));
        Assert.That(snapshot.MissingNow.Single(m => m.Criterion == "economic-buyer").Prompt, Is.EqualTo("Who signs? No economic buyer is named yet."));
    }

    [Test]
    public void Should_keep_every_score_of_a_closed_deal_the_plain_sum_of_its_met_weights()
    {
        var result = Score(OpportunityBuilder.Open().Closed(won: true).WithField("Decision_Process__c", "IT review").WithField("Decision_Criteria__c", "SSO"));

        Assert.That(result.Score, Is.EqualTo(20));
    }

    [Test]
    public void Should_raise_maverick_discounting_for_a_deep_discount_days_before_the_quarter_ends()
    {
        var quarterEnd = new DateOnly(2025, 3, 31);
        var result = Score(OpportunityBuilder.Open().InStage("Negotiation/Review").With(o => o with { CloseDate = quarterEnd })
            .WithField("Discount_Percent__c", "25"), asOf: quarterEnd.AddDays(-10));

        var flag = result.Flag("maverick-discounting");
        Assert.That(flag.Raised, Is.True);
        Assert.That(flag.Reason, Is.EqualTo("Maverick discounting: a 25% discount with 10 days to the close date; customer's compelling event: not recorded."));
    }

    [Test]
    public void Should_not_raise_maverick_discounting_for_the_same_discount_120_days_out_with_a_compelling_event()
    {
        var close = OpportunityBuilder.AsOf.AddDays(120);
        var result = Score(OpportunityBuilder.Open().InStage("Negotiation/Review").With(o => o with { CloseDate = close })
            .WithField("Discount_Percent__c", "25").WithField("Compelling_Event_Date__c", Day(close.AddDays(5))));

        Assert.That(result.Flag("maverick-discounting").Raised, Is.False);
    }

    [Test]
    public void Should_raise_maverick_discounting_far_out_when_no_compelling_event_stands_behind_the_discount()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Negotiation/Review").With(o => o with { CloseDate = OpportunityBuilder.AsOf.AddDays(120) })
            .WithField("Discount_Percent__c", "25"));

        Assert.That(result.Flag("maverick-discounting").Raised, Is.True);
    }

    [Test]
    public void Should_call_a_next_step_dated_months_ago_no_next_step()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Needs Analysis")
            .With(o => o with { NextStep = "call Tuesday" }).WithField("Next_Step_Date__c", "2024-11-05"));

        Assert.That(result.Flag("no-next-step").Raised, Is.True);
        Assert.That(result.Criterion("dated-next-step").Status, Is.EqualTo(CriterionStatus.NotMet));
    }

    [Test]
    public void Should_call_a_next_step_whose_text_names_a_past_date_no_next_step()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Needs Analysis").With(o => o with { NextStep = "Pricing call on 12 February" }));

        Assert.That(result.Flag("no-next-step").Raised, Is.True);
        Assert.That(result.Criterion("dated-next-step").Status, Is.EqualTo(CriterionStatus.NotMet));
    }

    [Test]
    public void Should_accept_a_next_step_whose_text_names_a_date_still_ahead()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Needs Analysis").With(o => o with { NextStep = "Pricing call on March 20th" }));

        Assert.That(result.Flag("no-next-step").Raised, Is.False);
        Assert.That(result.Criterion("dated-next-step").Status, Is.EqualTo(CriterionStatus.Met));
    }

    [Test]
    public void Should_raise_seller_driven_close_date_at_quarter_end_without_a_compelling_event()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Value Proposition").With(o => o with { CloseDate = new DateOnly(2025, 6, 27) }));

        var flag = result.Flag("seller-driven-close-date");
        Assert.That(flag.Raised, Is.True);
        Assert.That(flag.Reason, Is.EqualTo("Seller-driven close date: the close date 2025-06-27 is our quarter end or past the customer's date (days before its quarter ends: 3; customer's compelling event: not recorded)."));
    }

    [Test]
    public void Should_raise_seller_driven_close_date_when_the_close_date_falls_after_the_event()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Value Proposition").With(o => o with { CloseDate = new DateOnly(2025, 5, 20) })
            .WithField("Compelling_Event_Date__c", "2025-05-01"));

        Assert.That(result.Flag("seller-driven-close-date").Raised, Is.True);
    }

    [Test]
    public void Should_not_raise_seller_driven_close_date_when_the_quarter_end_is_the_customers_own_date()
    {
        var result = Score(OpportunityBuilder.Open().InStage("Value Proposition").With(o => o with { CloseDate = new DateOnly(2025, 6, 27) })
            .WithField("Compelling_Event_Date__c", "2025-06-30"));

        Assert.That(result.Flag("seller-driven-close-date").Raised, Is.False);
        Assert.That(result.Criterion("customer-close-date").Status, Is.EqualTo(CriterionStatus.Met));
    }

    [Test]
    public void Should_place_the_quarter_end_by_the_fiscal_year()
    {
        Assert.That(OpportunityFactsMapper.FiscalQuarterEnd(new DateOnly(2025, 3, 14), startMonth: 1), Is.EqualTo(new DateOnly(2025, 3, 31)));
        Assert.That(OpportunityFactsMapper.FiscalQuarterEnd(new DateOnly(2025, 3, 14), startMonth: 2), Is.EqualTo(new DateOnly(2025, 4, 30)));
        Assert.That(OpportunityFactsMapper.FiscalQuarterEnd(new DateOnly(2025, 1, 14), startMonth: 2), Is.EqualTo(new DateOnly(2025, 1, 31)));
        Assert.That(OpportunityFactsMapper.FiscalQuarterEnd(new DateOnly(2025, 12, 1), startMonth: 11), Is.EqualTo(new DateOnly(2026, 1, 31)));
    }

    /// <summary>A deal far past a whole normal cycle (147 days on the standard ladder) with the basics missing for months.</summary>
    internal static OpportunityBuilder LongNeglected(int ageDays) => OpportunityBuilder.Open().InStage("Id. Decision Makers")
        .With(o => o with { CreatedDate = new DateTimeOffset(OpportunityBuilder.AsOf.AddDays(-ageDays), TimeOnly.MinValue, TimeSpan.Zero), NextStep = "Call Monday" })
        .WithHistory(h => h with
        {
            StageEnteredAt = new Dictionary<string, DateTimeOffset>
            {
                ["Qualification"] = new(OpportunityBuilder.AsOf.AddDays(-ageDays + 20), TimeOnly.MinValue, TimeSpan.Zero),
                ["Needs Analysis"] = new(OpportunityBuilder.AsOf.AddDays(-ageDays + 40), TimeOnly.MinValue, TimeSpan.Zero),
                ["Id. Decision Makers"] = new(OpportunityBuilder.AsOf.AddDays(-10), TimeOnly.MinValue, TimeSpan.Zero),
            },
        });

    [Test]
    public void Should_raise_chase_or_close_on_a_deal_older_than_its_cycle_with_criteria_long_overdue()
    {
        var flag = Score(LongNeglected(ageDays: 200)).Flag("chase-or-close");

        Assert.That(flag.Raised, Is.True);
        Assert.That(flag.Reason, Is.EqualTo("Chase or close: 200 days old against a normal cycle of 147, with 3 expected criteria missing for 30 days or more: requalify it or close it."));
    }

    [Test]
    public void Should_not_raise_chase_or_close_on_a_deal_within_its_normal_cycle()
    {
        Assert.That(Score(LongNeglected(ageDays: 120)).Flag("chase-or-close").Raised, Is.False);
    }

    [Test]
    public void Should_not_count_a_criterion_expected_only_days_ago_as_long_overdue()
    {
        // Buying plan is expected from Id. Decision Makers, reached 10 days ago: overdue, but not for 30 days.
        var facts = Score(LongNeglected(ageDays: 200));

        Assert.That(facts.Criterion("buying-plan").Status, Is.EqualTo(CriterionStatus.NotMet));
        Assert.That(facts.Flag("chase-or-close").Reason, Does.Contain("with 3 expected criteria"), "customer-close-date, executive-priority, multi-threaded; not buying-plan");
    }

    [TestCase("Demo on 2025-03-20", "2025-03-20")]
    [TestCase("call March 20th", "2025-03-20")]
    [TestCase("review 3 Jan", "2025-01-03")]
    [TestCase("kick-off Dec 29", "2024-12-29")]
    [TestCase("call 1 june 2026", "2026-06-01")]
    [TestCase("Feb 30 or Mar 2", "2025-03-02")]
    [TestCase("follow up Jan 5", "2025-01-05")]
    [TestCase("QBR on 5 February 2026", "2026-02-05")]
    [TestCase("meet 3 decision makers", null)]
    [TestCase("send 2 marketing decks", null)]
    [TestCase("call Tuesday", null)]
    [TestCase("send proposal 3/20", null)]
    [TestCase("no date here", null)]
    public void Should_read_the_calendar_date_a_next_step_names(string text, string? expected)
    {
        var read = NextStepDates.Read(text, new DateOnly(2025, 3, 14));

        Assert.That(read?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Is.EqualTo(expected));
    }
}
