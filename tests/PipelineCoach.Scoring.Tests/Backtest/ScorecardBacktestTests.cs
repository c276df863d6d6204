using PipelineCoach.Scoring.Backtest;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;
using PipelineCoach.Scoring.Tests.Engine;

namespace PipelineCoach.Scoring.Tests.Backtest;

[TestFixture]
public sealed class When_backtesting_a_scorecard
{
    private static readonly Scorecard Proactive = DefaultScorecards.ProactiveQualification;

    private static IEnumerable<BacktestCase> Deals(int count, int score, string grade, int won) =>
        Enumerable.Range(0, count).Select(i => new BacktestCase($"{grade}-{score}-{i}", score, grade, i < won));

    [Test]
    public void Should_report_win_rate_per_grade_from_tens_of_deals()
    {
        BacktestCase[] cases = [.. Deals(10, 90, "A", won: 6), .. Deals(10, 70, "B", won: 3), .. Deals(10, 20, "D", won: 1)];

        var report = ScorecardBacktest.Report(Proactive, cases);

        Assert.That(report.Deals, Is.EqualTo(30));
        Assert.That(report.Won, Is.EqualTo(10));
        Assert.That(report.Grades.Select(g => g.Grade), Is.EqualTo(new[] { "A", "B", "C", "D" }));
        Assert.That(report.Grades.Select(g => g.WinRate), Is.EqualTo(new double?[] { 0.6, 0.3, null, 0.1 }));
        Assert.That(report.GradesOrdered, Is.True);
    }

    [Test]
    public void Should_compute_brier_scores_against_the_base_rate()
    {
        BacktestCase[] cases = [new("w", 100, "A", true), new("l", 0, "D", false)];

        var report = ScorecardBacktest.Report(Proactive, cases);

        Assert.That(report.BrierScoreAsProbability, Is.EqualTo(0.0));
        Assert.That(report.BrierBaseRate, Is.EqualTo(0.25));
        // Stated A = 0.5 for the won deal, D = 0.05 for the lost one: ((0.5)² + (0.05)²) / 2.
        Assert.That(report.BrierStated, Is.EqualTo(0.12625).Within(1e-9));
        Assert.That(report.Separation, Is.EqualTo(1.0));
    }

    [Test]
    public void Should_smooth_a_small_band_towards_the_overall_win_rate()
    {
        BacktestCase[] cases = [.. Deals(2, 90, "A", won: 2), .. Deals(8, 20, "D", won: 0)];

        var a = ScorecardBacktest.Report(Proactive, cases).Grades[0];

        Assert.That(a.WinRate, Is.EqualTo(1.0));
        Assert.That(a.SmoothedWinRate, Is.EqualTo((2 + (2 * 0.2)) / 4).Within(1e-9));
        Assert.That(a.WinRateLow, Is.LessThan(0.5), "two wins out of two is weak evidence");
        Assert.That(a.WinRateHigh, Is.EqualTo(1.0));
    }

    [Test]
    public void Should_notice_grades_that_do_not_separate()
    {
        BacktestCase[] cases = [.. Deals(10, 90, "A", won: 1), .. Deals(10, 20, "D", won: 5)];

        var report = ScorecardBacktest.Report(Proactive, cases);

        Assert.That(report.GradesOrdered, Is.False);
        Assert.That(report.Separation, Is.LessThan(0.5));
        Assert.That(report.Notes, Has.Some.Contains("lower grade won more often"));
    }

    [Test]
    public void Should_answer_without_deals_and_say_why()
    {
        var report = ScorecardBacktest.Report(Proactive, []);

        Assert.That(report.Deals, Is.Zero);
        Assert.That(report.Separation, Is.Null);
        Assert.That(report.Notes, Has.Some.EqualTo("No closed deals to replay yet."));
    }

    [Test]
    public void Should_replay_closed_opportunities_through_the_engine()
    {
        var scorecard = ScorecardCompiler.Compile(DefaultScorecards.Meddicc);
        ClosedOpportunity[] closed =
        [
            new(OpportunityBuilder.Open().InStage("Negotiation/Review").WithField("Metrics__c", "x").WithField("Economic_Buyer__c", "x")
                .WithField("Decision_Criteria__c", "x").WithField("Decision_Process__c", "x")
                .WithField("Identified_Pain__c", "x").WithField("Champion__c", "x").Build(), OpportunityBuilder.AsOf, Won: true),
            new(OpportunityBuilder.Open().InStage("Negotiation/Review").Build(), OpportunityBuilder.AsOf, Won: false),
        ];

        var report = ScorecardBacktest.Replay(scorecard, closed);

        Assert.That(report.ScorecardId, Is.EqualTo("meddicc"));
        Assert.That(report.Grades.Single(g => g.Grade == "A").Won, Is.EqualTo(1));
        Assert.That(report.Grades.Single(g => g.Grade == "D").Lost, Is.EqualTo(1));
        Assert.That(report.BrierScoreAsProbability, Is.EqualTo(((0.14 * 0.14) + 0) / 2).Within(1e-9));
    }
}
