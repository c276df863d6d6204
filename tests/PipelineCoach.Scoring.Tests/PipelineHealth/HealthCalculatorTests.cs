using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.PipelineHealth;

namespace PipelineCoach.Scoring.Tests.PipelineHealth;

public sealed class When_computing_pipeline_health
{
    private static readonly DateOnly AsOf = new(2026, 11, 25);
    private static readonly PipelineHealthOptions Options = new();
    private static readonly FiscalPeriod Q4 = FiscalPeriod.Containing(AsOf, 1);
    private static readonly WinRateHistory NoHistory = new(0, 0);
    private static int _next;

    private static PipelineDeal Deal(decimal amount, bool qualified = true, string stage = "Proposal/Price Quote", DateOnly? close = null,
        DateOnly? created = null, DateOnly? activity = null, bool closed = false, bool won = false, string? account = null) =>
        new($"006{Interlocked.Increment(ref _next):D15}", "005000000000001AAA", account, $"Deal {_next}", amount, stage, closed, won,
            close ?? new DateOnly(2026, 12, 15), created ?? AsOf.AddDays(-100), activity ?? AsOf.AddDays(-1), qualified);

    private static RepInputs Rep(decimal? quota, params PipelineDeal[] deals) => new("005000000000001AAA", deals, quota, []);

    private static readonly StageLadder Ladder = new([.. new[]
    {
        "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review",
    }.Select(name => new StageDefinition { Name = name, NormalDays = name is "Prospecting" or "Qualification" or "Perception Analysis" ? 14 : 21 })]);

    /// <summary>A closed deal that first entered the given stages a week apart (none: no stage history recorded).</summary>
    private static ClosedDeal Closed(decimal amount, bool won, params string[] stages) =>
        new($"006{Interlocked.Increment(ref _next):D15}", "005000000000001AAA", amount, won, AsOf.AddDays(-30),
            stages.Select((stage, i) => (stage, i)).ToDictionary(s => s.stage, s => new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero).AddDays(7 * s.i)));

    private static HealthCondition Condition(HealthReport report, string code) => report.Conditions.Single(c => c.Condition == code);

    [Test]
    public void Should_divide_qualified_pipeline_closing_in_the_period_by_the_quota_not_yet_won()
    {
        var coverage = HealthCalculator.Coverage(
        [
            Deal(100_000), Deal(50_000, qualified: false), Deal(80_000, close: new DateOnly(2027, 2, 1)),
            Deal(40_000, closed: true, won: true), Deal(70_000, closed: true, won: false),
        ], 240_000, Q4, NoHistory, Options);

        Assert.That(coverage.QualifiedPipeline, Is.EqualTo(100_000));
        Assert.That(coverage.OpenPipeline, Is.EqualTo(150_000));
        Assert.That(coverage.WonInPeriod, Is.EqualTo(40_000));
        Assert.That(coverage.RemainingQuota, Is.EqualTo(200_000));
        Assert.That(coverage.Ratio, Is.EqualTo(0.5m));
    }

    [Test]
    public void Should_set_the_coverage_target_from_the_value_won_of_deals_that_reached_the_qualified_stage()
    {
        // Ten won at 25,000 and ten lost at 75,000 past Qualification: half the deals, a quarter of the value.
        var closed = Enumerable.Range(0, 10).Select(_ => Closed(25_000, won: true, "Prospecting", "Qualification", "Needs Analysis", "Closed Won"))
            .Concat(Enumerable.Range(0, 10).Select(_ => Closed(75_000, won: false, "Prospecting", "Qualification", "Needs Analysis", "Closed Lost")))
            // Lost in Qualification, and lost with no stage history: neither counts.
            .Concat(Enumerable.Range(0, 30).Select(_ => Closed(10_000, won: false, "Prospecting", "Qualification", "Closed Lost")))
            .Append(Closed(1_000_000, won: false))
            .ToList();

        var history = HealthCalculator.WinRate(closed, Ladder, Options);
        Assert.That((history.Closed, history.Won, history.ClosedAmount, history.WonAmount), Is.EqualTo((20, 10, 1_000_000m, 250_000m)));
        var (target, basis) = HealthCalculator.CoverageTarget(history, Options);
        Assert.That(target, Is.EqualTo(4.0m), "1 ÷ 25 % by value, not 1 ÷ 50 % by count");
        Assert.That(basis, Does.Contain("win rate by value on deals that reached Needs Analysis").And.Contain("250,000 won of 1,000,000 closed"));
    }

    [Test]
    public void Should_count_a_deal_that_skipped_the_qualified_stage_as_having_reached_it()
    {
        var skipped = Closed(1, won: false, "Prospecting", "Proposal/Price Quote", "Closed Lost");
        Assert.That(Ladder.Reached(skipped, "Needs Analysis"), Is.True);
        Assert.That(Ladder.Reached(Closed(1, won: false, "Prospecting", "Closed Lost"), "Needs Analysis"), Is.False);
        Assert.That(Ladder.Reached(Closed(1, won: true, "Prospecting", "Closed Won"), "Needs Analysis"), Is.True, "a won deal passed every stage");
    }

    [Test]
    public void Should_use_three_times_until_the_team_has_closed_enough_qualified_deals_and_say_so()
    {
        var (fallback, basis) = HealthCalculator.CoverageTarget(new WinRateHistory(19, 10, 190_000, 100_000), Options);
        Assert.That(fallback, Is.EqualTo(3.0m));
        Assert.That(basis, Is.EqualTo("the 3× rule of thumb: the team closed 19 deals that reached Needs Analysis in the last 365 days, and 20 are needed to use its own win rate"));
        Assert.That(HealthCalculator.CoverageTarget(new WinRateHistory(20, 20, 100, 100), Options).Target, Is.EqualTo(1.0m), "never below 1×");
        Assert.That(HealthCalculator.CoverageTarget(new WinRateHistory(40, 0, 100, 0), Options).Target, Is.EqualTo(3.0m), "nothing won: no rate to invert");
    }

    [Test]
    public void Should_compute_coverage_for_the_next_quarter_too()
    {
        var rep = Rep(100_000, Deal(150_000), Deal(120_000, close: new DateOnly(2027, 2, 10)), Deal(80_000, qualified: false, close: new DateOnly(2027, 3, 1)))
            with { NextQuota = 200_000 };
        var report = HealthCalculator.ForRep(rep, Q4, AsOf, NoHistory, Options);

        Assert.That(report.NextPeriod, Is.EqualTo("2027-Q1"));
        Assert.That((report.NextQuarterCoverage!.QualifiedPipeline, report.NextQuarterCoverage.OpenPipeline, report.NextQuarterCoverage.Ratio),
            Is.EqualTo((120_000m, 200_000m, (decimal?)0.6m)));
        Assert.That(report.Coverage.QualifiedPipeline, Is.EqualTo(150_000m), "this quarter is unchanged");
        Assert.That(HealthCalculator.ForRep(Rep(100_000, Deal(1)), Q4, AsOf, NoHistory, Options).NextQuarterCoverage!.Ratio, Is.Null, "no quota next quarter");
    }

    [Test]
    public void Should_raise_coverage_below_target_with_the_pipeline_still_needed()
    {
        var report = HealthCalculator.ForRep(Rep(100_000, Deal(250_000)), Q4, AsOf, NoHistory, Options);

        var condition = Condition(report, HealthCalculator.CoverageBelowTarget);
        Assert.That(condition.IsRaised, Is.True);
        Assert.That((condition.Value, condition.Threshold), Is.EqualTo((2.5m, 3.0m)));
        Assert.That(condition.Reason, Does.Contain("50,000 more qualified pipeline needed"));
    }

    [Test]
    public void Should_not_judge_coverage_without_a_quota_and_clear_it_once_the_quota_is_won()
    {
        Assert.That(HealthCalculator.ForRep(Rep(null, Deal(10)), Q4, AsOf, NoHistory, Options).Conditions.Select(c => c.Condition),
            Has.None.EqualTo(HealthCalculator.CoverageBelowTarget));
        var won = HealthCalculator.ForRep(Rep(50_000, Deal(60_000, closed: true, won: true)), Q4, AsOf, NoHistory, Options);
        Assert.That(Condition(won, HealthCalculator.CoverageBelowTarget).IsRaised, Is.False, "quota won: a raised condition clears");
        var met = HealthCalculator.ForRep(Rep(100_000, Deal(300_000)), Q4, AsOf, NoHistory, Options);
        Assert.That(Condition(met, HealthCalculator.CoverageBelowTarget).IsRaised, Is.False);
    }

    [Test]
    public void Should_flag_inflow_dried_up_against_the_reps_own_norm()
    {
        // Two new deals a month for six months, then none in the last 30 days.
        var earlier = Enumerable.Range(0, 12).Select(i => Deal(1_000, created: AsOf.AddDays(-35 - (i * 14)))).ToArray();
        var dried = HealthCalculator.Inflow(earlier, AsOf, Options, reps: 1);
        Assert.That((dried.Recent, dried.Norm, dried.DriedUp), Is.EqualTo((0, 2.0, true)));

        var steady = HealthCalculator.Inflow([.. earlier, Deal(1_000, created: AsOf.AddDays(-3))], AsOf, Options, reps: 1);
        Assert.That((steady.Recent, steady.DriedUp), Is.EqualTo((1, false)), "half the norm is enough");

        var thin = HealthCalculator.Inflow([Deal(1_000, created: AsOf.AddDays(-60))], AsOf, Options, reps: 1);
        Assert.That(thin.DriedUp, Is.False, "a norm below one deal per window is too thin to call a drop");
    }

    private static DateOnly[] Days(params int[] daysAgo) => [.. daysAgo.Select(d => AsOf.AddDays(-d))];

    private static PipelineDeal Worked(decimal amount, params int[] daysAgo) =>
        Deal(amount, activity: daysAgo.Length == 0 ? AsOf.AddDays(-60) : AsOf.AddDays(-daysAgo.Min())) with { ActivityDays = Days(daysAgo) };

    [Test]
    public void Should_call_tunnel_vision_on_a_hot_deal_that_is_not_the_largest()
    {
        var hot = Worked(50_000, 1, 2, 4, 6, 8, 10, 12, 15) with { Name = "Globex expansion" };
        var report = HealthCalculator.ForRep(Rep(null, Worked(500_000, 20), hot, Worked(40_000), Worked(10_000)), Q4, AsOf, NoHistory, Options);

        Assert.That(report.Concentration!.TopDealId, Is.Not.EqualTo(hot.Id), "the largest deal is another");
        Assert.That((report.Concentration.FocusDealId, report.Concentration.FocusActivityDays, report.Concentration.ActivityDays, report.Concentration.FocusActivityShare),
            Is.EqualTo((hot.Id, 8, 9, (decimal?)0.8889m)));
        var condition = Condition(report, HealthCalculator.TunnelVision);
        Assert.That((condition.IsRaised, condition.Value, condition.Threshold), Is.EqualTo((true, 0.8889m, 0.6m)));
        Assert.That(condition.Reason, Is.EqualTo(
            "in the last 30 days, 8 of the 9 days of activity on open deals were on 'Globex expansion' (89 %); the other 3 open deals had 1 between them. Tunnel vision starts at 60 %"));
    }

    [Test]
    public void Should_still_raise_tunnel_vision_for_the_rep_with_one_stray_email_on_another_deal()
    {
        // Six days on the big deal, one email yesterday on another: "exactly one deal touched" would have cleared it.
        var focus = Worked(300_000, 3, 5, 8, 11, 14, 20);
        var stray = Worked(20_000, 1);
        var report = HealthCalculator.ForRep(Rep(null, focus, stray, Worked(30_000), Worked(25_000)), Q4, AsOf, NoHistory, Options);

        Assert.That(report.Concentration!.RecentlyWorkedDeals, Is.EqualTo(2));
        Assert.That(report.Concentration.FocusDealId, Is.EqualTo(focus.Id));
        Assert.That(Condition(report, HealthCalculator.TunnelVision).IsRaised, Is.True);
    }

    [Test]
    public void Should_not_call_tunnel_vision_when_work_is_spread_or_too_thin_to_judge()
    {
        var spread = HealthCalculator.ForRep(Rep(null, Worked(500_000, 1, 5, 9, 13), Worked(50_000, 2, 6, 10), Worked(40_000, 3, 7, 11)), Q4, AsOf, NoHistory, Options);
        var condition = Condition(spread, HealthCalculator.TunnelVision);
        Assert.That((condition.IsRaised, condition.Value), Is.EqualTo((false, 0.4m)));
        Assert.That(condition.Reason, Does.StartWith("work is spread"));

        // Exactly at the threshold raises: 6 of 10.
        Assert.That(Condition(HealthCalculator.ForRep(Rep(null, Worked(1, 1, 2, 3, 4, 5, 6), Worked(1, 1, 2), Worked(1, 1, 2)), Q4, AsOf, NoHistory, Options),
            HealthCalculator.TunnelVision).IsRaised, Is.True);

        var idle = Condition(HealthCalculator.ForRep(Rep(null, Worked(500_000), Worked(50_000), Worked(40_000)), Q4, AsOf, NoHistory, Options), HealthCalculator.TunnelVision);
        Assert.That(idle.IsRaised, Is.False, "no activity at all is not focus");
        Assert.That(idle.Reason, Does.StartWith("too little activity to judge focus: 0 days"));
        var single = HealthCalculator.ForRep(Rep(null, Worked(500_000, 1), Worked(50_000), Worked(40_000)), Q4, AsOf, NoHistory, Options);
        Assert.That(Condition(single, HealthCalculator.TunnelVision).IsRaised, Is.True, "only one deal worked at all: raised, as before");
        var stricter = new PipelineHealthOptions { TunnelVisionMinActivityDays = 2 };
        Assert.That(Condition(HealthCalculator.ForRep(Rep(null, Worked(500_000, 1), Worked(50_000), Worked(40_000)), Q4, AsOf, NoHistory, stricter),
            HealthCalculator.TunnelVision).IsRaised, Is.False, "the minimum is configurable");

        var old = Condition(HealthCalculator.ForRep(Rep(null, Worked(500_000, 31, 35, 40), Worked(50_000, 2), Worked(40_000, 3)), Q4, AsOf, NoHistory, Options), HealthCalculator.TunnelVision);
        Assert.That((old.IsRaised, old.Value), Is.EqualTo((false, 0.5m)), "only the last 30 days count");

        Assert.That(HealthCalculator.ForRep(Rep(null, Worked(500_000, 1, 2, 3), Worked(50_000)), Q4, AsOf, NoHistory, Options).Conditions.Select(c => c.Condition),
            Has.None.EqualTo(HealthCalculator.TunnelVision), "two open deals are too few to call");
    }

    [Test]
    public void Should_count_the_last_activity_date_as_an_activity_day_even_when_not_yet_recorded()
    {
        var deal = Deal(1, activity: AsOf.AddDays(-2)) with { ActivityDays = Days(2, 4) };
        Assert.That(HealthCalculator.ActivityDays(deal, AsOf, 30), Is.EqualTo(2));
        Assert.That(HealthCalculator.ActivityDays(deal with { ActivityDays = null }, AsOf, 30), Is.EqualTo(1));
        Assert.That(HealthCalculator.ActivityDays(deal with { ActivityDays = Days(-3), LastActivityDate = AsOf.AddDays(3) }, AsOf, 30), Is.EqualTo(0), "a scheduled meeting is not work done");
    }

    [Test]
    public void Should_count_target_accounts_with_a_qualified_or_recently_worked_open_deal()
    {
        const string Covered = "001000000000001AAA", Worked = "001000000000002AAA", Cold = "001000000000003AAA", Empty = "001000000000004AAA";
        var coverage = HealthCalculator.TargetAccounts(
        [
            Deal(1, qualified: true, account: Covered, activity: AsOf.AddDays(-60)),
            Deal(1, qualified: false, account: Worked, activity: AsOf.AddDays(-3)),
            Deal(1, qualified: false, account: Cold, activity: AsOf.AddDays(-60)),
            Deal(1, qualified: true, account: Empty, closed: true, won: true),
        ], [Covered, Worked, Cold, Empty], AsOf, Options);

        Assert.That((coverage.Listed, coverage.Covered, coverage.Share), Is.EqualTo((4, 2, (decimal?)0.5m)));
        Assert.That(coverage.Uncovered, Is.EqualTo(new[] { Cold, Empty }));
    }

    [Test]
    public void Should_raise_target_accounts_uncovered_under_half_naming_the_accounts()
    {
        string[] targets = ["001000000000001AAA", "001000000000002AAA", "001000000000003AAA", "001000000000004AAA", "001000000000005AAA"];
        var names = new Dictionary<string, string?> { [targets[0]] = "Acme", [targets[1]] = "Globex", [targets[2]] = "Initech", [targets[3]] = "Umbrella", [targets[4]] = null };
        var rep = new RepInputs("005000000000001AAA", [Deal(1, account: targets[0]), Deal(1, account: targets[1])], null, targets, TargetAccountNames: names);
        var report = HealthCalculator.ForRep(rep, Q4, AsOf, NoHistory, Options);

        var condition = Condition(report, HealthCalculator.TargetAccountsUncovered);
        Assert.That((condition.IsRaised, condition.Value, condition.Threshold), Is.EqualTo((true, 0.4m, 0.5m)));
        Assert.That(condition.Reason, Is.EqualTo(
            "only 2 of 5 target accounts (40 %) have an open qualified deal or an open deal worked in the last 14 days, under the 50 % floor; not covered: Initech, Umbrella and 1 more"));

        var half = rep with { TargetAccounts = targets[..4] };
        Assert.That(Condition(HealthCalculator.ForRep(half, Q4, AsOf, NoHistory, Options), HealthCalculator.TargetAccountsUncovered).IsRaised, Is.False, "half is not under half");
        Assert.That(HealthCalculator.ForRep(rep with { TargetAccounts = [] }, Q4, AsOf, NoHistory, Options).Conditions.Select(c => c.Condition),
            Has.None.EqualTo(HealthCalculator.TargetAccountsUncovered), "a rep without target accounts has none to leave uncovered");
        var unnamed = HealthCalculator.ForRep(rep with { TargetAccountNames = null }, Q4, AsOf, NoHistory, Options);
        Assert.That(Condition(unnamed, HealthCalculator.TargetAccountsUncovered).Reason, Does.EndWith("not covered: 3 accounts (names not recorded)"));
    }

    [Test]
    public void Should_measure_the_share_of_open_pipeline_in_early_stages()
    {
        var early = HealthCalculator.EarlyStage([Deal(30_000, stage: "Prospecting"), Deal(10_000, stage: "needs analysis"), Deal(60_000), Deal(99, closed: true, stage: "Closed Won")], Options);
        Assert.That((early.EarlyStageValue, early.Share, early.OpenPipeline), Is.EqualTo((40_000m, (decimal?)0.4m, 100_000m)));
    }

    [Test]
    public void Should_raise_early_stage_thin_under_the_floor_and_only_with_open_pipeline()
    {
        var thin = HealthCalculator.ForRep(Rep(null, Deal(20_000, stage: "Prospecting"), Deal(80_000)), Q4, AsOf, NoHistory, Options);
        var condition = Condition(thin, HealthCalculator.EarlyStageThin);
        Assert.That((condition.IsRaised, condition.Value, condition.Threshold), Is.EqualTo((true, 0.2m, 0.25m)));
        Assert.That(condition.Reason, Is.EqualTo(
            "only 20 % of open pipeline (20,000 of 100,000) is in the early stages (Prospecting, Qualification, Needs Analysis), under the 25 % floor: little is coming through for the quarters ahead"));

        Assert.That(Condition(HealthCalculator.ForRep(Rep(null, Deal(25_000, stage: "Qualification"), Deal(75_000)), Q4, AsOf, NoHistory, Options),
            HealthCalculator.EarlyStageThin).IsRaised, Is.False, "at the floor");
        Assert.That(HealthCalculator.ForRep(Rep(null, Deal(1, closed: true, won: true)), Q4, AsOf, NoHistory, Options).Conditions.Select(c => c.Condition),
            Has.None.EqualTo(HealthCalculator.EarlyStageThin), "no open pipeline, no share");
        var floor = new PipelineHealthOptions { EarlyStageFloor = 0.1m };
        Assert.That(Condition(HealthCalculator.ForRep(Rep(null, Deal(20_000, stage: "Prospecting"), Deal(80_000)), Q4, AsOf, NoHistory, floor),
            HealthCalculator.EarlyStageThin).IsRaised, Is.False, "the floor is configurable");
    }

    [Test]
    public void Should_show_the_share_of_losses_walked_away_from_early()
    {
        var closed = new[]
        {
            Closed(1, won: false, "Prospecting", "Closed Lost"),
            Closed(1, won: false, "Prospecting", "Qualification", "Closed Lost"),
            Closed(1, won: false, "Qualification", "Needs Analysis", "Perception Analysis", "Closed Lost"),
            Closed(1, won: false, "Qualification", "Negotiation/Review", "Closed Lost"),
            Closed(1, won: false),
            Closed(1, won: true, "Prospecting", "Closed Won"),
        };
        var walkAway = HealthCalculator.ForRep(Rep(null) with { Closed = closed }, Q4, AsOf, NoHistory, Options, Ladder).WalkAway!;

        Assert.That((walkAway.Lost, walkAway.ClosedEarly, walkAway.EarlyShare, walkAway.NotRecorded, walkAway.LateStage),
            Is.EqualTo((4, 3, (decimal?)0.75m, 1, "Proposal/Price Quote")), "lost after skipping to Negotiation is late; no history is not recorded");
        Assert.That(HealthCalculator.WalkAway([], Ladder, Options).EarlyShare, Is.Null);
    }

    [Test]
    public void Should_take_normal_stage_durations_from_the_orgs_closed_deals_where_there_are_enough()
    {
        var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        // 21 deals: 10 days in Prospecting (one took 40), then 6 in Qualification for only 5 of them.
        var deals = Enumerable.Range(0, 21).Select(i =>
        {
            var prospecting = i == 0 ? 40 : 10;
            var stages = new Dictionary<string, DateTimeOffset> { ["Prospecting"] = start, ["Qualification"] = start.AddDays(prospecting) };
            if (i < 5)
            {
                stages["Closed Lost"] = start.AddDays(prospecting + 6);
            }

            // No close date: a stage without a later entry has no end to measure.
            return new ClosedDeal($"006{i:D15}", "005000000000001AAA", 1, false, null, stages);
        }).ToList();

        var durations = StageDurations.Compute(deals, Ladder, minSamples: 20);
        var prospecting = durations.Single(d => d.Stage == "Prospecting");
        Assert.That((prospecting.NormalDays, prospecting.Source, prospecting.Samples, prospecting.ScorecardDays), Is.EqualTo(((int?)10, "org-history", 21, (int?)14)),
            "the median, not the mean, so one long deal does not move it");
        var qualification = durations.Single(d => d.Stage == "Qualification");
        Assert.That((qualification.NormalDays, qualification.Source, qualification.OrgMedianDays), Is.EqualTo(((int?)14, "scorecard-default", (int?)6)),
            "5 samples are too few: the scorecard's 14 days, with the org's median beside it");
        Assert.That(durations.Single(d => d.Stage == "Negotiation/Review").Samples, Is.Zero);
    }

    [Test]
    public void Should_keep_the_scorecards_figure_where_the_orgs_median_is_zero_days()
    {
        var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        // 20 deals clicked from Prospecting through Qualification within the hour.
        var deals = Enumerable.Range(0, 20).Select(i => new ClosedDeal($"006{i:D15}", "005000000000001AAA", 1, false, null,
            new Dictionary<string, DateTimeOffset> { ["Prospecting"] = start, ["Qualification"] = start.AddHours(1), ["Closed Lost"] = start.AddDays(30) })).ToList();

        var prospecting = StageDurations.Compute(deals, Ladder, minSamples: 20).Single(d => d.Stage == "Prospecting");

        Assert.That((prospecting.NormalDays, prospecting.Source, prospecting.Samples, prospecting.OrgMedianDays), Is.EqualTo(((int?)14, "scorecard-default", 20, (int?)0)),
            "0 days is no normal duration: the scorecard's 14 stand, with the org's median beside it");
    }

    [Test]
    public void Should_give_every_reason_in_words_without_ids_or_field_names()
    {
        string[] targets = ["001000000000001AAA", "001000000000002AAA", "001000000000003AAA"];
        var rep = new RepInputs("005000000000001AAA",
            [Worked(300_000, 1, 2, 3, 4) with { Name = null }, Worked(10_000), Worked(10_000) with { StageName = "Prospecting" }], 500_000, targets, NextQuota: 100);
        var reports = new[]
        {
            HealthCalculator.ForRep(rep, Q4, AsOf, NoHistory, Options),
            HealthCalculator.ForTeam("005000000000009AAA", [rep], Q4, AsOf, new WinRateHistory(40, 10, 400, 100), Options),
        };

        var reasons = reports.SelectMany(r => r.Conditions).Select(c => c.Reason).ToList();
        Assert.That(reasons.Select(r => r.Length), Has.All.GreaterThan(10));
        Assert.That(reasons, Has.None.Match("__c|\\(not set\\)|0[0-9A-Za-z]{2}[0-9A-Za-z]{12}(AAA|[A-Z]{3})\\b"));
        Assert.That(reports[0].Conditions.Select(c => c.Condition), Is.EquivalentTo(new[]
        {
            HealthCalculator.CoverageBelowTarget, HealthCalculator.InflowDriedUp, HealthCalculator.TunnelVision, HealthCalculator.TargetAccountsUncovered,
            HealthCalculator.EarlyStageThin,
        }));
        Assert.That(reports[1].Conditions.Select(c => c.Condition), Is.EquivalentTo(new[]
        {
            HealthCalculator.CoverageBelowTarget, HealthCalculator.InflowDriedUp, HealthCalculator.TargetAccountsUncovered, HealthCalculator.EarlyStageThin,
        }), "tunnel vision is a rep's");
    }

    [Test]
    public void Should_sum_a_team_from_its_reps()
    {
        var a = Rep(100_000, Deal(150_000)) with { OwnerId = "005000000000001AAA" };
        var b = Rep(100_000, Deal(150_000)) with { OwnerId = "005000000000002AAA" };
        var team = HealthCalculator.ForTeam("005000000000009AAA", [a, b], Q4, AsOf, new WinRateHistory(40, 20, 400_000, 200_000), Options);

        Assert.That((team.SubjectKind, team.Coverage.Quota, team.Coverage.QualifiedPipeline, team.Coverage.Ratio, team.Coverage.Target),
            Is.EqualTo(("team", (decimal?)200_000m, 300_000m, (decimal?)1.5m, 2.0m)));
        Assert.That(Condition(team, HealthCalculator.CoverageBelowTarget).IsRaised, Is.True);
        Assert.That(team.Concentration, Is.Null);
    }
}

public sealed class When_naming_fiscal_periods
{
    [TestCase(1, "2026-11-25", "2026-Q4", "2026-10-01", "2026-12-31")]
    [TestCase(2, "2026-11-25", "2027-Q4", "2026-11-01", "2027-01-31")]
    [TestCase(2, "2026-02-01", "2027-Q1", "2026-02-01", "2026-04-30")]
    [TestCase(7, "2026-06-30", "2026-Q4", "2026-04-01", "2026-06-30")]
    [TestCase(7, "2026-07-01", "2027-Q1", "2026-07-01", "2026-09-30")]
    public void Should_name_the_quarter_after_the_year_it_ends_in(int startMonth, string day, string name, string start, string end)
    {
        var period = FiscalPeriod.Containing(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), startMonth);
        Assert.That((period.Name, period.Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), period.End.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            Is.EqualTo((name, start, end)));
        Assert.That(FiscalPeriod.TryParse(name, startMonth, out var parsed), Is.True);
        Assert.That(parsed, Is.EqualTo(period));
    }

    [TestCase("2026-Q5")]
    [TestCase("2026Q1")]
    [TestCase("")]
    public void Should_reject_anything_but_a_fiscal_quarter(string name) =>
        Assert.That(FiscalPeriod.TryParse(name, 1, out _), Is.False);
}
