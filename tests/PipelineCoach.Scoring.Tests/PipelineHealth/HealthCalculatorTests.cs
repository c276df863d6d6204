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
    public void Should_use_three_times_until_the_team_has_closed_enough_deals()
    {
        Assert.That(HealthCalculator.CoverageTarget(new WinRateHistory(19, 10), Options).Target, Is.EqualTo(3.0m));
        var (target, basis) = HealthCalculator.CoverageTarget(new WinRateHistory(40, 10), Options);
        Assert.That(target, Is.EqualTo(4.0m), "1 ÷ 25 %");
        Assert.That(basis, Does.Contain("10 won of 40 closed"));
        Assert.That(HealthCalculator.CoverageTarget(new WinRateHistory(20, 20), Options).Target, Is.EqualTo(1.0m), "never below 1×");
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

    [Test]
    public void Should_call_tunnel_vision_when_only_the_top_deal_is_worked()
    {
        var top = Deal(500_000, activity: AsOf.AddDays(-1));
        var report = HealthCalculator.ForRep(Rep(null, top, Deal(50_000, activity: AsOf.AddDays(-30)), Deal(40_000, activity: AsOf.AddDays(-40)), Deal(10_000, activity: AsOf.AddDays(-20))),
            Q4, AsOf, NoHistory, Options);

        Assert.That(report.Concentration!.TopDealId, Is.EqualTo(top.Id));
        Assert.That(report.Concentration.TopDealValueShare, Is.EqualTo(0.8333m));
        var condition = Condition(report, HealthCalculator.TunnelVision);
        Assert.That(condition.IsRaised, Is.True);
        Assert.That(condition.Reason, Does.Contain("3 other open deals untouched"));

        var balanced = HealthCalculator.ForRep(Rep(null, top, Deal(50_000, activity: AsOf.AddDays(-2)), Deal(40_000)), Q4, AsOf, NoHistory, Options);
        Assert.That(Condition(balanced, HealthCalculator.TunnelVision).IsRaised, Is.False);
        Assert.That(HealthCalculator.ForRep(Rep(null, top, Deal(50_000, activity: AsOf.AddDays(-30))), Q4, AsOf, NoHistory, Options).Conditions.Select(c => c.Condition),
            Has.None.EqualTo(HealthCalculator.TunnelVision), "two open deals are too few to call");
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
    public void Should_measure_the_share_of_open_pipeline_in_early_stages()
    {
        var early = HealthCalculator.EarlyStage([Deal(30_000, stage: "Prospecting"), Deal(10_000, stage: "needs analysis"), Deal(60_000), Deal(99, closed: true, stage: "Closed Won")], Options);
        Assert.That((early.EarlyStageValue, early.Share), Is.EqualTo((40_000m, (decimal?)0.4m)));
    }

    [Test]
    public void Should_sum_a_team_from_its_reps()
    {
        var a = Rep(100_000, Deal(150_000)) with { OwnerId = "005000000000001AAA" };
        var b = Rep(100_000, Deal(150_000)) with { OwnerId = "005000000000002AAA" };
        var team = HealthCalculator.ForTeam("005000000000009AAA", [a, b], Q4, AsOf, new WinRateHistory(40, 20), Options);

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
