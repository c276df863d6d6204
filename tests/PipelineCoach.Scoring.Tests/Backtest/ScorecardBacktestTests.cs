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

    private static IEnumerable<BacktestCase> Deals(int count, int score, string grade, int won, string? stage) =>
        Enumerable.Range(0, count).Select(i => new BacktestCase($"{stage}-{grade}-{score}-{i}", score, grade, i < won, stage));

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
        BacktestCase[] cases = [.. Deals(20, 90, "A", won: 2), .. Deals(20, 20, "D", won: 10)];

        var report = ScorecardBacktest.Report(Proactive, cases);

        Assert.That(report.GradesOrdered, Is.False);
        Assert.That(report.Separation, Is.LessThan(0.5));
        Assert.That(report.Notes, Has.Some.StartsWith("Grade D won more often than grade A (50 % of 20 against 10 % of 20), more than chance explains"));
        Assert.That(report.Verdict, Is.EqualTo("grades run backwards: lower grades won more often in your org"));
    }

    [Test]
    public void Should_not_call_out_a_lower_grade_winning_more_on_noise()
    {
        // 3 of 10 against 1 of 10: a two-proportion z-test gives z ≈ 1.1, well inside chance.
        BacktestCase[] cases = [.. Deals(10, 90, "A", won: 1), .. Deals(10, 70, "B", won: 3), .. Deals(20, 20, "D", won: 1)];

        var report = ScorecardBacktest.Report(Proactive, cases);

        Assert.That(report.GradesOrdered, Is.False, "the raw rates are not ordered");
        Assert.That(report.Notes, Has.None.Contains("more than chance explains"));
    }

    [Test]
    public void Should_say_too_few_closed_deals_and_fall_back_to_the_stated_probabilities()
    {
        BacktestCase[] cases = [.. Deals(10, 90, "A", won: 6), .. Deals(10, 20, "D", won: 1)];

        var report = ScorecardBacktest.Report(Proactive, cases);

        Assert.That(report.Verdict, Is.EqualTo("too few closed deals"));
        Assert.That(report.Grades.Select(g => g.EstimatedWinProbability), Has.All.Null);
        Assert.That(report.Grades.Select(g => g.StatedWinProbability), Is.EqualTo(new double?[] { 0.5, 0.3, 0.15, 0.05 }));
        Assert.That(report.Notes, Has.Some.EqualTo("Grade A: too few closed deals for an estimate of its own, so the scorecard's stated 50 % stands."));
    }

    [Test]
    public void Should_estimate_each_grade_from_the_org_once_there_are_enough_deals()
    {
        BacktestCase[] cases = [.. Deals(40, 90, "A", won: 24), .. Deals(40, 70, "B", won: 12), .. Deals(4, 50, "C", won: 1), .. Deals(40, 20, "D", won: 4)];

        var report = ScorecardBacktest.Report(Proactive, cases);
        var byGrade = report.Grades.ToDictionary(g => g.Grade);

        Assert.That(byGrade["A"].EstimatedWinProbability, Is.EqualTo(byGrade["A"].SmoothedWinRate));
        Assert.That(byGrade["A"].EstimatedWinProbability, Is.EqualTo((24 + (2 * 41.0 / 124)) / 42).Within(1e-9));
        Assert.That(byGrade["C"].EstimatedWinProbability, Is.Null, "four deals are too few");
        Assert.That(report.Verdict, Is.EqualTo("grades separate won from lost deals well"));
    }

    [TestCase(0.52, 0.02, "no separation: this scorecard does not predict outcomes in your org")]
    [TestCase(0.53, 0.001, "no separation: this scorecard does not predict outcomes in your org")]
    [TestCase(0.58, 0.01, "weak separation: grades only slightly separate won from lost deals")]
    [TestCase(0.65, 0.01, "grades separate won from lost deals somewhat")]
    [TestCase(0.75, 0.01, "grades separate won from lost deals well")]
    [TestCase(0.75, 0.2, "no separation: this scorecard does not predict outcomes in your org")]
    [TestCase(0.35, 0.01, "grades run backwards: lower grades won more often in your org")]
    public void Should_put_the_separation_in_plain_words(double separation, double standardError, string verdict) =>
        Assert.That(ScorecardBacktest.Verdict(separation, standardError), Is.EqualTo(verdict));

    [Test]
    public void Should_compute_separation_by_ranks_with_ties_counting_half()
    {
        BacktestCase[] cases = [new("w1", 80, "A", true), new("w2", 40, "C", true), new("l1", 40, "C", false), new("l2", 20, "D", false), new("l3", 90, "A", false)];

        var report = ScorecardBacktest.Report(Proactive, cases);

        // Pairs (won, lost): 80>40, 80>20, 80<90, 40=40 (half), 40>20, 40<90 → 3.5 of 6.
        Assert.That(report.Separation, Is.EqualTo(3.5 / 6).Within(1e-12));
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
        Assert.That(report.ReplayedFromClosedSnapshot, Is.Zero);
    }

    [Test]
    public void Should_rebuild_a_closed_only_deal_at_its_last_open_stage_the_day_before_close()
    {
        var prospecting = new DateTimeOffset(2025, 1, 2, 9, 0, 0, TimeSpan.Zero);
        var needsAnalysis = prospecting.AddDays(20);
        var closedAt = prospecting.AddDays(50);
        var closed = OpportunityBuilder.Open().Closed(won: false)
            .With(o => o with { CloseDate = DateOnly.FromDateTime(closedAt.UtcDateTime), CreatedDate = prospecting })
            .WithHistory(h => h with
            {
                CurrentStageEnteredAt = closedAt,
                StageEnteredAt = new Dictionary<string, DateTimeOffset> { ["Prospecting"] = prospecting, ["Needs Analysis"] = needsAnalysis, ["Closed Lost"] = closedAt },
            })
            .Build();

        var deal = ClosedOpportunity.From(closed, won: false, closeDate: null, Proactive.Stages);

        Assert.That(deal.ReplayedFromClosedSnapshot, Is.True);
        Assert.That(deal.AsOf, Is.EqualTo(DateOnly.FromDateTime(closedAt.UtcDateTime).AddDays(-1)));
        Assert.That((deal.LastOpenSnapshot.Opportunity.StageName, deal.LastOpenSnapshot.Opportunity.IsClosed, deal.LastOpenSnapshot.Opportunity.IsWon),
            Is.EqualTo(("Needs Analysis", (bool?)false, (bool?)false)));
        Assert.That(deal.LastOpenSnapshot.History!.CurrentStageEnteredAt, Is.EqualTo(needsAnalysis));
        Assert.That(ScorecardBacktest.Replay(ScorecardCompiler.Compile(Proactive), [deal]).ReplayedFromClosedSnapshot, Is.EqualTo(1));
    }

    [Test]
    public void Should_estimate_a_grade_per_stage_where_the_stage_has_enough_deals_of_it()
    {
        BacktestCase[] cases =
        [
            .. Deals(12, 90, "A", won: 9, "Proposal/Price Quote"),
            .. Deals(8, 90, "A", won: 2, "Prospecting"),
            .. Deals(15, 20, "D", won: 3, "prospecting"), // StageName matches the ladder case-insensitively
            .. Deals(5, 20, "D", won: 0, "Qualification"),
            .. Deals(3, 70, "B", won: 1, "Discovery"), // not on the ladder
            .. Deals(2, 70, "B", won: 1, stage: null),
        ];

        var report = ScorecardBacktest.Report(Proactive, cases);
        var stages = report.Stages.ToDictionary(s => s.Stage);
        StageGradeOutcome Cell(string stage, string grade) => stages[stage].Grades.Single(g => g.Grade == grade);

        Assert.That(report.Stages.Select(s => s.Stage), Is.EqualTo(Proactive.Stages.Select(s => s.Name)), "every ladder stage, in ladder order");
        Assert.That((report.Deals, report.Won), Is.EqualTo((45, 16)), "deals off the ladder still count overall");
        Assert.That(report.Stages.Sum(s => s.Deals), Is.EqualTo(40), "but not per stage");
        Assert.That((stages["Prospecting"].Deals, stages["Prospecting"].Won, stages["Prospecting"].WinRate), Is.EqualTo((23, 5, (double?)5 / 23)));
        Assert.That(stages["Prospecting"].Grades.Select(g => g.Grade), Is.EqualTo(new[] { "A", "B", "C", "D" }));
        Assert.That((stages["Negotiation/Review"].Deals, stages["Negotiation/Review"].WinRate), Is.EqualTo((0, (double?)null)));
        Assert.That(stages["Negotiation/Review"].Grades.Select(g => g.EstimatedWinProbability), Has.All.Null);

        // Grade A wins 11 of 20 across stages; at Proposal 9 of 12, shrunk towards 55 % with a prior worth two deals.
        Assert.That((Cell("Proposal/Price Quote", "A").Deals, Cell("Proposal/Price Quote", "A").Won), Is.EqualTo((12, 9)));
        Assert.That(Cell("Proposal/Price Quote", "A").EstimatedWinProbability, Is.EqualTo((9 + (2 * 0.55)) / 14).Within(1e-9));
        Assert.That(Cell("Prospecting", "A").EstimatedWinProbability, Is.Null, "eight deals are too few");
        Assert.That(Cell("Prospecting", "D").EstimatedWinProbability, Is.EqualTo((3 + (2 * 0.15)) / 17).Within(1e-9));
        Assert.That(Cell("Qualification", "D").EstimatedWinProbability, Is.Null, "five deals are too few");
        Assert.That(report.Grades.Single(g => g.Grade == "A").Deals, Is.EqualTo(20), "the grades are what they were");
    }

    [Test]
    public void Should_not_estimate_any_stage_while_the_org_has_too_few_closed_deals()
    {
        BacktestCase[] cases = [.. Deals(12, 90, "A", won: 6, "Proposal/Price Quote"), .. Deals(10, 20, "D", won: 1, "Prospecting")];

        var report = ScorecardBacktest.Report(Proactive, cases);
        var proposalA = report.Stages.Single(s => s.Stage == "Proposal/Price Quote").Grades.Single(g => g.Grade == "A");

        Assert.That((proposalA.Deals, proposalA.Won), Is.EqualTo((12, 6)));
        Assert.That(report.Stages.SelectMany(s => s.Grades).Select(g => g.EstimatedWinProbability), Has.All.Null, "22 closed deals in all");
    }

    [Test]
    public void Should_place_each_replayed_deal_at_the_stage_of_its_last_open_snapshot()
    {
        var scorecard = ScorecardCompiler.Compile(Proactive);
        var prospecting = new DateTimeOffset(2025, 1, 2, 9, 0, 0, TimeSpan.Zero);
        var rebuilt = ClosedOpportunity.From(OpportunityBuilder.Open().Closed(won: true)
            .WithHistory(h => h with
            {
                StageEnteredAt = new Dictionary<string, DateTimeOffset> { ["Prospecting"] = prospecting, ["Value Proposition"] = prospecting.AddDays(20), ["Closed Won"] = prospecting.AddDays(40) },
            })
            .Build(), won: true, closeDate: null, Proactive.Stages);
        ClosedOpportunity[] closed =
        [
            new(OpportunityBuilder.Open().InStage("Needs Analysis").Build(), OpportunityBuilder.AsOf, Won: true),
            new(OpportunityBuilder.Open().InStage("Needs Analysis").Build(), OpportunityBuilder.AsOf, Won: false),
            rebuilt,
        ];

        var report = ScorecardBacktest.Replay(scorecard, closed);

        Assert.That(report.Stages.Where(s => s.Deals > 0).Select(s => (s.Stage, s.Deals, s.Won)),
            Is.EqualTo(new[] { ("Needs Analysis", 2, 1), ("Value Proposition", 1, 1) }), "a deal seen only closed stands at its last open stage");
    }

    /// <summary>
    /// A deal seen only closed and without history is scored at a stage guessed from its outcome; counting that guess per
    /// stage would tell the stage win rates what they are meant to find out, so it counts in its grade only.
    /// </summary>
    [Test]
    public void Should_leave_a_deal_whose_stage_is_only_guessed_out_of_the_stage_cells()
    {
        var scorecard = ScorecardCompiler.Compile(Proactive);
        ClosedOpportunity[] closed =
        [
            ClosedOpportunity.From(OpportunityBuilder.Open().Closed(won: true).WithoutHistory().Build(), won: true, closeDate: null, Proactive.Stages),
            new(OpportunityBuilder.Open().InStage("Needs Analysis").Build(), OpportunityBuilder.AsOf, Won: false),
        ];

        var report = ScorecardBacktest.Replay(scorecard, closed);

        Assert.That(closed[0].Stage, Is.Null);
        Assert.That(report.Grades.Sum(g => g.Deals), Is.EqualTo(2), "both count in their grades");
        Assert.That(report.Stages.Where(s => s.Deals > 0).Select(s => (s.Stage, s.Deals)), Is.EqualTo(new[] { ("Needs Analysis", 1) }));
    }

    [Test]
    public void Should_take_a_won_deal_without_history_to_the_last_stage_and_a_lost_one_to_the_first()
    {
        Assert.That(ClosedSnapshotReplay.LastOpenStage(null, Proactive.Stages, won: true), Is.EqualTo("Negotiation/Review"));
        Assert.That(ClosedSnapshotReplay.LastOpenStage(null, Proactive.Stages, won: false), Is.EqualTo("Prospecting"));
    }

    [Test]
    public void Should_replay_an_open_snapshot_as_of_the_day_it_was_current()
    {
        var open = OpportunityBuilder.Open().Build();

        var deal = ClosedOpportunity.From(open, won: true, closeDate: OpportunityBuilder.AsOf.AddDays(30), Proactive.Stages);

        Assert.That(deal.ReplayedFromClosedSnapshot, Is.False);
        Assert.That(deal.AsOf, Is.EqualTo(DateOnly.FromDateTime(open.SourceVersion.UtcDateTime)));
    }
}
