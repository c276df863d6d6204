using PipelineCoach.Cadence.Agendas;
using PipelineCoach.Cadence.Agendas.Scoring;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Testing;
using static PipelineCoach.Cadence.Tests.Agendas.AgendaFixtures;

namespace PipelineCoach.Cadence.Tests.Agendas;

public sealed class When_a_daily_huddle_agenda_is_composed
{
    [Test]
    public void Should_list_flags_raised_since_the_previous_huddle_and_not_older_ones()
    {
        var occurrence = Occurrence(CadenceKinds.DailyHuddle);
        var previous = Now.AddDays(-1);
        var data = Data(
            [Deal("006000000000000001", amount: 50_000), Deal("006000000000000002", owner: Ben, amount: 200_000), Deal("006000000000000003", owner: "005000000000000OUT")],
            [
                Flag("006000000000000001", "slipping", previous.AddHours(2), "close date pushed 3 times across 2 quarters (98 days in total)"),
                Flag("006000000000000002", "stalled", previous.AddHours(5)),
                Flag("006000000000000001", "single-threaded", previous.AddHours(-1)),
                Flag("006000000000000003", "slipping", previous.AddHours(3)), // not the team's deal
            ],
            new Dictionary<Guid, DateTimeOffset> { [occurrence.Id] = previous });

        var sections = Compose(occurrence, data);

        var risks = sections.Section(AgendaSections.NewRisks);
        Assert.That(risks.Title, Is.EqualTo("New risk flags since the last huddle"));
        Assert.That(risks.Items.Select(i => (i.OpportunityId, i.Code)), Is.EqualTo(new[] { ("006000000000000002", "stalled"), ("006000000000000001", "slipping") }),
            "the team's flags raised after the previous huddle, biggest deal first");
        var slipping = risks.Items[1];
        Assert.That((slipping.OpportunityName, slipping.Amount, slipping.OwnerId, slipping.OwnerName), Is.EqualTo(("Deal 001", 50_000m, Ana, "Ana Rep")));
        Assert.That(slipping.Why, Is.EqualTo("New since the last huddle — Slipping: close date pushed 3 times across 2 quarters (98 days in total)."));
        Assert.That(risks.Items[0].Why, Does.Contain("Stalled: no stage progress"), "without a reason the flag's meaning is given");
        AssertReadable(sections);
    }

    [Test]
    public void Should_look_back_24_hours_for_a_first_huddle()
    {
        var occurrence = Occurrence(CadenceKinds.DailyHuddle);
        var data = Data([Deal("006000000000000001")],
            [Flag("006000000000000001", "slipping", Now.AddHours(-23)), Flag("006000000000000001", "stalled", Now.AddHours(-25))]);

        var risks = Compose(occurrence, data).Section(AgendaSections.NewRisks);

        Assert.That(risks.Items.Select(i => i.Code), Is.EqualTo(new[] { "slipping" }));
        Assert.That(risks.Title, Is.EqualTo("New risk flags in the last 24 hours"));
    }

    [Test]
    public void Should_list_next_steps_due_on_the_occurrences_local_day()
    {
        // 09:30 UTC on 25 Nov is still 24 Nov in Honolulu (UTC-10).
        var occurrence = Occurrence(CadenceKinds.DailyHuddle, timeZone: "Pacific/Honolulu");
        var today = new DateOnly(2026, 11, 24);
        var data = Data(
        [
            Deal("006000000000000001") with { NextStep = "Send the security questionnaire", NextStepDate = today },
            Deal("006000000000000002") with { NextStep = "Demo", NextStepDate = today.AddDays(1) },
            Deal("006000000000000003", owner: Ben) with { NextStep = null, NextStepDate = today },
            Deal("006000000000000004") with { NextStepDate = today, IsClosed = true },
        ]);

        var due = Compose(occurrence, data).Section(AgendaSections.NextStepsDue);

        Assert.That(due.Items.Select(i => i.OpportunityId), Is.EquivalentTo(new[] { "006000000000000001", "006000000000000003" }));
        Assert.That(due.Items.Single(i => i.OpportunityId == "006000000000000001").Why, Is.EqualTo("Next step due today: “Send the security questionnaire”."));
        Assert.That(due.Items.Single(i => i.OpportunityId == "006000000000000003").Why, Does.StartWith("A next step is dated today but not described"));
    }

    [Test]
    public void Should_give_custom_cadences_the_huddles_agenda()
    {
        var sections = Compose(Occurrence(CadenceKinds.Custom), Data([]));
        Assert.That(sections.Select(s => s.Code), Is.EqualTo(new[] { AgendaSections.NewRisks, AgendaSections.NextStepsDue }));
    }
}

public sealed class When_a_weekly_pipeline_review_agenda_is_composed
{
    private static readonly AgendaDeal Early = Deal("006000000000000010", stage: "Prospecting", amount: 80_000);
    private static readonly AgendaDeal Slipping = Deal("006000000000000011", owner: Ben, stage: "Negotiation/Review", amount: 120_000);
    private static readonly AgendaDeal Stalled = Deal("006000000000000012", stage: "Needs Analysis");
    private static readonly AgendaDeal Premature = Deal("006000000000000013", stage: "Proposal/Price Quote");
    private static readonly AgendaDeal Clean = Deal("006000000000000014", stage: "Value Proposition");

    private static AgendaData TeamData(IEnumerable<LocalHealthCondition>? conditions = null) => Data(
        [Early, Slipping, Stalled, Premature, Clean],
        [
            Flag(Slipping.OpportunityId, "slipping", Now.AddDays(-3), "close date pushed 3 times across 2 quarters (150 days in total)"),
            Flag(Stalled.OpportunityId, "stalled", Now.AddDays(-10), "120 days in Needs Analysis, where 21 is normal"),
            Flag(Premature.OpportunityId, "premature-presentation", Now.AddDays(-2), "reached Proposal/Price Quote with a qualification score of 20 and 4 expected criteria unmet"),
            Flag(Clean.OpportunityId, "single-threaded", Now.AddDays(-2)),
        ],
        conditions: conditions);

    private static ScoringHealthReport Report(string kind, string id, decimal? quota, decimal qualified, decimal? ratio, int recent = 3, double norm = 2.5, bool driedUp = false) =>
        new(kind, id, "2026-Q4", new ScoringCoverage(qualified, qualified, quota, quota, ratio, 3m), new ScoringInflow(recent, norm, 30, driedUp), new ScoringTargetAccounts(0, 0, null, []));

    [Test]
    public void Should_put_early_stage_deals_first_then_slipped_stalled_and_premature_ones()
    {
        var sections = Compose(Occurrence(CadenceKinds.WeeklyPipelineReview), TeamData(), ScoringAnswer.Unavailable);

        Assert.That(sections.Select(s => s.Code).Take(4), Is.EqualTo(new[] { AgendaSections.EarlyStage, AgendaSections.Slipped, AgendaSections.Stalled, AgendaSections.PrematurePresentations }));
        Assert.That(sections.Section(AgendaSections.EarlyStage).Items.Select(i => i.OpportunityId), Is.EqualTo(new[] { Early.OpportunityId }));
        Assert.That(sections.Section(AgendaSections.EarlyStage).Items[0].Why, Does.StartWith("In Prospecting for 6 days; closing 4 Jan 2027; qualification score 55 (grade C)."));
        var slipped = sections.Section(AgendaSections.Slipped).Items.Single();
        Assert.That((slipped.OpportunityId, slipped.OpportunityName, slipped.Amount, slipped.OwnerId, slipped.OwnerName),
            Is.EqualTo((Slipping.OpportunityId, Slipping.Name, 120_000m, Ben, "Ben Rep")));
        Assert.That(slipped.Why, Is.EqualTo("Slipping: close date pushed 3 times across 2 quarters (150 days in total). Now in Negotiation/Review, closing 4 Jan 2027."));
        Assert.That(sections.Section(AgendaSections.Stalled).Items.Select(i => i.OpportunityId), Is.EqualTo(new[] { Stalled.OpportunityId }));
        Assert.That(sections.Section(AgendaSections.PrematurePresentations).Items.Select(i => i.OpportunityId), Is.EqualTo(new[] { Premature.OpportunityId }));
        Assert.That(sections.SelectMany(s => s.Items).Select(i => i.OpportunityId), Has.No.Member(Clean.OpportunityId), "a deal with none of the review's problems");
        AssertReadable(sections);
    }

    [Test]
    public void Should_show_live_coverage_and_inflow_against_target_for_the_team_and_each_rep()
    {
        var answer = new ScoringAnswer(ScoringStatus.Answered)
        {
            Team = Report("team", Manager, 600_000, 900_000, 1.5m),
            Reps = [Report("rep", Ana, 200_000, 800_000, 4m), Report("rep", Ben, 400_000, 200_000, 0.5m, recent: 0, norm: 3, driedUp: true)],
        };

        var sections = Compose(Occurrence(CadenceKinds.WeeklyPipelineReview), TeamData(), answer);

        var coverage = sections.Section(AgendaSections.Coverage).Items;
        Assert.That(coverage.Select(i => (i.OwnerId, i.Code)), Is.EqualTo(new[]
        {
            (Manager, "coverage-below-target"), (Ben, "coverage-below-target"), (Ana, "coverage-on-target"),
        }), "the team first, then the reps furthest below target");
        Assert.That(coverage.All(i => i.OpportunityId is null), Is.True, "items about reps carry no opportunity");
        Assert.That(coverage[1].Why, Is.EqualTo("Ben Rep: coverage 0.5× against a 3× target — 200,000 of qualified pipeline for the 400,000 of quota still to win in 2026-Q4; about 1,000,000 more qualified pipeline needed."));
        var inflow = sections.Section(AgendaSections.Inflow).Items;
        Assert.That(inflow.Single(i => i.OwnerId == Ben).Code, Is.EqualTo("inflow-dried-up"));
        Assert.That(inflow.Single(i => i.OwnerId == Ben).Why, Does.StartWith("Ben Rep: 0 new opportunities in the last 30 days against a usual 3"));
        Assert.That(sections.Select(s => s.Code), Has.No.Member(AgendaSections.ScoresUnavailable));
        AssertReadable(sections);
    }

    [Test]
    public void Should_fall_back_to_the_last_health_alerts_and_say_scores_were_unavailable()
    {
        LocalHealthCondition Condition(string subject, string condition, bool raised, DateTimeOffset at, string reason) => new()
        {
            SubjectKind = subject == Manager ? "team" : "rep", SubjectId = subject, Period = "2026-Q4", Condition = condition, IsRaised = raised,
            Value = 0.5m, Threshold = 3m, Reason = reason, OccurredAt = at.UtcDateTime,
        };

        var conditions = new[]
        {
            Condition(Ben, "coverage-below-target", true, Now.AddDays(-9), "old alert"),
            Condition(Ben, "coverage-below-target", false, Now.AddDays(-1), "coverage 3.2× meets the 3× target"),
            Condition(Ana, "coverage-below-target", true, Now.AddDays(-2), "qualified pipeline 100,000 covers the remaining quota 200,000 0.5×"),
            Condition(Ana, "inflow-dried-up", true, Now.AddDays(-2), "0 new opportunities in the last 30 days against a norm of 3: prospecting has stopped"),
        };
        // Ben's two alerts share a business key in real life; two rows here check that the latest one wins.
        var sections = Compose(Occurrence(CadenceKinds.WeeklyPipelineReview), TeamData(conditions), ScoringAnswer.Unavailable);

        var coverage = sections.Section(AgendaSections.Coverage).Items;
        Assert.That(coverage.Select(i => (i.OwnerId, i.Code)), Is.EqualTo(new[] { (Ana, "coverage-below-target"), (Ben, "coverage-below-target-cleared") }));
        Assert.That(coverage[0].Why, Is.EqualTo("Ana Rep, 2026-Q4: qualified pipeline 100,000 covers the remaining quota 200,000 0.5× (alert of 23 Nov 2026)."));
        Assert.That(sections.Section(AgendaSections.Inflow).Items.Select(i => i.OwnerId), Is.EqualTo(new[] { Ana }));
        var unavailable = sections.Section(AgendaSections.ScoresUnavailable).Items.Single();
        Assert.That(unavailable.Why, Does.StartWith("Scores were unavailable: Scoring did not answer"));
    }
}

public sealed class When_a_deal_review_agenda_is_composed
{
    private static readonly AgendaDeal Deal = Deal("006000000000000020", stage: "Qualification", amount: 75_000, name: "Acme - Platform");

    private static ScoringAnswer Scores() => new(ScoringStatus.Answered)
    {
        Scores = new ScoringOpportunityScores(Deal.OpportunityId,
        [
            new ScoringScore("proactive-qualification", 40, "C", ["single-threaded"],
            [
                new ScoringCriterion("customer-close-date", "Customer-driven close date", "Met", "Qualification"),
                new ScoringCriterion("executive-priority", "Tied to an executive priority", "NotYetExpected", "Needs Analysis"),
                new ScoringCriterion("dated-next-step", "Dated next step agreed", "NotMet", null),
            ],
            [
                new ScoringFlag("single-threaded", "Single-threaded", true, "1 contact role(s) at Qualification"),
                new ScoringFlag("slipping", "Slipping", false, "close date pushed 0 times"),
            ]),
        ]),
    };

    [TestCase(CadenceKinds.OpportunityStrategyReview)]
    [TestCase(CadenceKinds.PrePresentationReview)]
    public void Should_list_the_missing_criteria_and_open_flags_in_plain_words(string kind)
    {
        var sections = Compose(Occurrence(kind, Deal.OpportunityId), Data([Deal]), Scores());

        Assert.That(sections.Select(s => s.Code), Is.EqualTo(new[] { AgendaSections.Deal, AgendaSections.MissingCriteria, AgendaSections.OpenFlags }));
        Assert.That(sections.Section(AgendaSections.Deal).Items.Single().Why, Is.EqualTo("75,000 in Qualification, closing 4 Jan 2027; qualification score 55 (grade C)."));
        var missing = sections.Section(AgendaSections.MissingCriteria).Items;
        Assert.That(missing.Select(i => i.Code), Is.EqualTo(new[] { "dated-next-step", "executive-priority" }), "what is already expected first; met criteria left out");
        Assert.That(missing[1].Why, Is.EqualTo("Not shown yet: Tied to an executive priority — not expected until Needs Analysis, but worth planning now."));
        Assert.That(missing.All(i => i.OpportunityName == "Acme - Platform" && i.OwnerName == "Ana Rep" && i.Amount == 75_000), Is.True);
        Assert.That(sections.Section(AgendaSections.OpenFlags).Items.Select(i => i.Why), Is.EqualTo(new[] { "Single-threaded: 1 contact role(s) at Qualification." }));
        AssertReadable(sections);
    }

    [Test]
    public void Should_show_the_open_flags_received_and_say_scores_were_unavailable_when_scoring_is_not_connected()
    {
        var data = Data([Deal], [Flag(Deal.OpportunityId, "single-threaded", Now.AddDays(-2), "1 contact role(s) at Qualification")]);

        var sections = Compose(Occurrence(CadenceKinds.OpportunityStrategyReview, Deal.OpportunityId), data, ScoringAnswer.NotConfigured);

        Assert.That(sections.Select(s => s.Code), Is.EqualTo(new[] { AgendaSections.Deal, AgendaSections.OpenFlags, AgendaSections.ScoresUnavailable }));
        Assert.That(sections.Section(AgendaSections.OpenFlags).Items.Single().Why, Is.EqualTo("Single-threaded: 1 contact role(s) at Qualification (raised 23 Nov 2026)."));
        var unavailable = sections.Section(AgendaSections.ScoresUnavailable).Items.Single();
        Assert.That(unavailable.Why, Does.StartWith("Scores were unavailable: this service is not connected to Scoring"));
        Assert.That(unavailable.OpportunityId, Is.EqualTo(Deal.OpportunityId));
    }

    [Test]
    public void Should_say_so_when_the_deal_is_not_scored_yet()
    {
        var sections = Compose(Occurrence(CadenceKinds.PrePresentationReview, Deal.OpportunityId), Data([Deal]), new ScoringAnswer(ScoringStatus.Answered));
        Assert.That(sections.Section(AgendaSections.MissingCriteria).Items.Single().Code, Is.EqualTo("not-scored"));
    }

    [Test]
    public void Should_say_the_deal_is_unknown_when_it_has_not_arrived()
    {
        var sections = Compose(Occurrence(CadenceKinds.OpportunityStrategyReview, "006000000000000099"), Data([]), Scores());
        var item = sections.Section(AgendaSections.Deal).Items.Single();
        Assert.That((item.Code, item.OpportunityId, item.OwnerId), Is.EqualTo(("deal-unknown", "006000000000000099", Ana)));
    }
}

public sealed class When_a_negotiation_preparation_agenda_is_composed
{
    [Test]
    public void Should_state_amount_and_discount_and_prompt_concessions_for_a_deep_discount_near_the_close_date()
    {
        var deal = Deal("006000000000000030", stage: "Id. Decision Makers", amount: 150_000) with { DiscountPercent = 35, CloseDate = TestClock.Today.AddDays(5) };

        var sections = Compose(Occurrence(CadenceKinds.NegotiationPreparation, deal.OpportunityId), Data([deal]));

        Assert.That(sections.Section(AgendaSections.DealTerms).Items.Single().Why, Is.EqualTo("150,000 with a 35% discount, in Id. Decision Makers, closing 30 Nov 2026."));
        var prompts = sections.Section(AgendaSections.Concessions).Items;
        Assert.That(prompts.Select(p => p.Code), Is.EqualTo(new[] { "walk-away", "deep-discount", "close-date-pressure" }));
        Assert.That(prompts[2].Why, Does.StartWith("The close date is 5 days away"));
        Assert.That(prompts.All(p => p.OpportunityId == deal.OpportunityId && p.Amount == 150_000 && p.OwnerName == "Ana Rep"), Is.True);
        AssertReadable(sections);
    }

    [Test]
    public void Should_prompt_non_price_concessions_first_without_a_discount_and_a_new_date_when_the_close_date_passed()
    {
        var deal = Deal("006000000000000031") with { DiscountPercent = null, CloseDate = TestClock.Today.AddDays(-3) };

        var prompts = NegotiationAgenda.Prompts(deal, TestClock.Today);

        Assert.That(prompts.Select(p => p.Code), Is.EqualTo(new[] { "walk-away", "non-price-first", "close-date-passed" }));
    }
}

public sealed class When_a_target_account_planning_agenda_is_composed
{
    private static ScoringHealthReport Rep(string id, int listed, int covered) =>
        new("rep", id, "2026-Q4", new ScoringCoverage(0, 0, null, null, null, 3), new ScoringInflow(0, 0, 30, false),
            new ScoringTargetAccounts(listed, covered, listed == 0 ? null : (decimal)covered / listed, []));

    [Test]
    public void Should_show_each_reps_magnificent_50_coverage_weakest_first()
    {
        var answer = new ScoringAnswer(ScoringStatus.Answered) { Reps = [Rep(Ana, 50, 40), Rep(Ben, 50, 12)] };

        var sections = Compose(Occurrence(CadenceKinds.TargetAccountPlanning), Data([]), answer);

        var items = sections.Section(AgendaSections.TargetAccounts).Items;
        Assert.That(items.Select(i => i.OwnerId), Is.EqualTo(new[] { Ben, Ana }));
        Assert.That(items[0].Why, Is.EqualTo("Ben Rep: 12 of 50 target accounts covered (24%); 38 have no open qualified deal and no recent activity."));
        Assert.That(items.All(i => i.OpportunityId is null), Is.True);
        AssertReadable(sections);
    }

    [Test]
    public void Should_prompt_a_rep_without_a_list_to_make_one()
    {
        var answer = new ScoringAnswer(ScoringStatus.Answered) { Reps = [Rep(Ana, 0, 0)] };
        var item = Compose(Occurrence(CadenceKinds.TargetAccountPlanning), Data([]), answer).Section(AgendaSections.TargetAccounts).Items.Single();
        Assert.That(item.Code, Is.EqualTo("no-target-accounts"));
    }

    [Test]
    public void Should_say_scores_were_unavailable_when_scoring_did_not_answer()
    {
        var sections = Compose(Occurrence(CadenceKinds.TargetAccountPlanning), Data([]), ScoringAnswer.Unavailable);
        Assert.That(sections.Select(s => s.Code), Is.EqualTo(new[] { AgendaSections.ScoresUnavailable }));
    }
}
