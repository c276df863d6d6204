using System.Globalization;
using PipelineCoach.Scoring.Engine;

namespace PipelineCoach.Scoring.Backtest;

/// <summary>
/// Replays a scorecard over closed deals and reports calibration. Works from the first few deals: it never refuses
/// to answer, but says how uncertain the answer is.
/// </summary>
public static class ScorecardBacktest
{
    /// <summary>How many deals' worth of weight the overall win rate carries when smoothing a band's win rate.</summary>
    public const double PriorStrength = 2.0;

    /// <summary>Below this many closed deals (or without both wins and losses) the verdict is "too few closed deals".</summary>
    public const int MinClosedDeals = 30;

    /// <summary>
    /// A grade needs this many closed deals before its own win rate replaces the stated probability; so does a grade
    /// at one stage before its rate there replaces the grade's.
    /// </summary>
    public const int MinDealsPerGrade = 10;

    private const double Z95 = 1.959964;

    /// <summary>Scores each closed opportunity as it last stood while open and reports how the grades did.</summary>
    public static BacktestReport Replay(CompiledScorecard scorecard, IEnumerable<ClosedOpportunity> closed)
    {
        ArgumentNullException.ThrowIfNull(scorecard);
        ArgumentNullException.ThrowIfNull(closed);
        var facts = scorecard.CreateFacts();
        var result = scorecard.CreateResult();
        var cases = new List<BacktestCase>();
        var replayed = 0;
        foreach (var deal in closed)
        {
            facts.Load(deal.LastOpenSnapshot);
            scorecard.Score(facts, deal.AsOf, result);
            cases.Add(new BacktestCase(deal.LastOpenSnapshot.OpportunityId, result.Score, result.Grade, deal.Won, deal.Stage));
            replayed += deal.ReplayedFromClosedSnapshot ? 1 : 0;
        }

        return Report(scorecard.Definition, cases, replayed);
    }

    /// <summary>Reports on scores already computed (e.g. each closed deal's last stored score).</summary>
    public static BacktestReport Report(Scorecard scorecard, IReadOnlyList<BacktestCase> cases, int replayedFromClosedSnapshot = 0)
    {
        ArgumentNullException.ThrowIfNull(scorecard);
        ArgumentNullException.ThrowIfNull(cases);
        var deals = cases.Count;
        var won = cases.Count(c => c.Won);
        var baseRate = deals == 0 ? 0 : (double)won / deals;
        var enough = deals >= MinClosedDeals && won > 0 && won < deals;
        var bands = scorecard.Grades.OrderByDescending(band => band.Min).ToList();
        var grades = bands.Select(band => Outcome(band, InBand(cases, band), baseRate, enough)).ToList();

        var notes = new List<string>();
        if (deals == 0)
        {
            notes.Add("No closed deals to replay yet.");
        }
        else if (deals < MinClosedDeals)
        {
            notes.Add($"Only {deals} closed deals: read the win-rate intervals, not just the rates.");
        }

        if (deals > 0 && (won == 0 || won == deals))
        {
            notes.Add("Every deal had the same outcome, so grades cannot be compared yet.");
        }

        foreach (var grade in grades.Where(g => g.Deals is > 0 and < 5))
        {
            notes.Add($"Grade {grade.Grade} has {grade.Deals} deal(s); its smoothed win rate leans on the overall rate.");
        }

        foreach (var grade in grades.Where(g => g.EstimatedWinProbability is null && g.StatedWinProbability is not null))
        {
            notes.Add($"Grade {grade.Grade}: too few closed deals for an estimate of its own, so the scorecard's stated {Percent(grade.StatedWinProbability!.Value)} stands.");
        }

        // A lower grade winning more often is called out only when chance does not explain it (two-proportion z-test, 95 %).
        for (var i = 0; i < grades.Count; i++)
        {
            for (var j = i + 1; j < grades.Count; j++)
            {
                if (SignificantlyHigher(grades[j], grades[i]))
                {
                    notes.Add($"Grade {grades[j].Grade} won more often than grade {grades[i].Grade} ({Percent(grades[j].WinRate!.Value)} of {grades[j].Deals} against {Percent(grades[i].WinRate!.Value)} of {grades[i].Deals}), more than chance explains: revisit the criteria or weights.");
                }
            }
        }

        if (replayedFromClosedSnapshot > 0)
        {
            notes.Add($"{replayedFromClosedSnapshot} of {deals} deals were never seen open, so each was replayed as it stood the day before its close, at the last open stage its history shows.");
        }

        var separation = Separation(cases, out var standardError);
        var ordered = IsNonIncreasing(grades.Where(g => g.WinRate is not null).Select(g => g.WinRate!.Value).ToList());
        var allStated = bands.All(band => band.WinProbability is not null);
        return new BacktestReport
        {
            ScorecardId = scorecard.Id,
            ScorecardVersion = scorecard.Version,
            Deals = deals,
            Won = won,
            BaseWinRate = baseRate,
            Grades = grades,
            Stages = Stages(scorecard.Stages, bands, grades, cases, enough),
            BrierStated = allStated && deals > 0
                ? Brier(cases, c => bands.First(band => c.Score >= band.Min && c.Score <= band.Max).WinProbability!.Value)
                : null,
            BrierScoreAsProbability = deals == 0 ? 0 : Brier(cases, c => c.Score / 100.0),
            BrierBaseRate = deals == 0 ? 0 : Brier(cases, _ => baseRate),
            Separation = separation,
            Verdict = enough && separation is { } auc ? Verdict(auc, standardError) : "too few closed deals",
            ReplayedFromClosedSnapshot = replayedFromClosedSnapshot,
            GradesOrdered = ordered,
            Notes = notes,
        };
    }

    /// <summary>
    /// Plain words for a separation figure and its standard error: "no separation" unless it differs from 0.5 by more
    /// than chance (95 %) and by at least 0.05.
    /// </summary>
    public static string Verdict(double separation, double standardError)
    {
        var significant = Math.Abs(separation - 0.5) > Z95 * standardError;
        return !significant || Math.Abs(separation - 0.5) < 0.05 ? "no separation: this scorecard does not predict outcomes in your org"
            : separation < 0.5 ? "grades run backwards: lower grades won more often in your org"
            : separation >= 0.7 ? "grades separate won from lost deals well"
            : separation >= 0.6 ? "grades separate won from lost deals somewhat"
            : "weak separation: grades only slightly separate won from lost deals";
    }

    private static List<BacktestCase> InBand(IEnumerable<BacktestCase> cases, GradeBand band) =>
        cases.Where(c => c.Score >= band.Min && c.Score <= band.Max).ToList();

    /// <summary>
    /// Each ladder stage's deals per grade. A cell's estimate shrinks towards its grade's win rate across all stages,
    /// as a grade's shrinks towards the overall rate, so a stage only moves a grade's probability as far as its deals
    /// show.
    /// </summary>
    private static List<StageOutcome> Stages(IReadOnlyList<StageDefinition> ladder, List<GradeBand> bands, List<GradeOutcome> grades,
        IReadOnlyList<BacktestCase> cases, bool enough)
    {
        // Stage names match case-insensitively, as the engine matches StageName to the ladder.
        var byStage = cases.Where(c => c.Stage is not null).ToLookup(c => c.Stage!, StringComparer.OrdinalIgnoreCase);
        return ladder.Select(stage =>
        {
            var inStage = byStage[stage.Name].ToList();
            var won = inStage.Count(c => c.Won);
            return new StageOutcome
            {
                Stage = stage.Name,
                Deals = inStage.Count,
                Won = won,
                WinRate = inStage.Count == 0 ? null : (double)won / inStage.Count,
                Grades = bands.Select((band, i) => Cell(InBand(inStage, band), grades[i], enough)).ToList(),
            };
        }).ToList();
    }

    private static StageGradeOutcome Cell(List<BacktestCase> inCell, GradeOutcome grade, bool enough)
    {
        var deals = inCell.Count;
        var won = inCell.Count(c => c.Won);
        // A cell with deals lies inside a grade with deals, so the grade's rate is known wherever it is used.
        var smoothed = (won + (PriorStrength * (grade.WinRate ?? 0))) / (deals + PriorStrength);
        return new StageGradeOutcome
        {
            Grade = grade.Grade,
            Deals = deals,
            Won = won,
            EstimatedWinProbability = enough && deals >= MinDealsPerGrade ? smoothed : null,
        };
    }

    private static GradeOutcome Outcome(GradeBand band, List<BacktestCase> inBand, double baseRate, bool enough)
    {
        var deals = inBand.Count;
        var won = inBand.Count(c => c.Won);
        var (low, high) = Wilson(won, deals);
        var smoothed = (won + (PriorStrength * baseRate)) / (deals + PriorStrength);
        return new GradeOutcome
        {
            Grade = band.Grade,
            Min = band.Min,
            Max = band.Max,
            Deals = deals,
            Won = won,
            WinRate = deals == 0 ? null : (double)won / deals,
            SmoothedWinRate = smoothed,
            WinRateLow = low,
            WinRateHigh = high,
            StatedWinProbability = band.WinProbability,
            EstimatedWinProbability = enough && deals >= MinDealsPerGrade ? smoothed : null,
        };
    }

    /// <summary>Whether <paramref name="lower"/> (a lower grade) won significantly more often than <paramref name="higher"/>.</summary>
    public static bool SignificantlyHigher(GradeOutcome lower, GradeOutcome higher)
    {
        ArgumentNullException.ThrowIfNull(lower);
        ArgumentNullException.ThrowIfNull(higher);
        if (lower.Deals == 0 || higher.Deals == 0 || lower.WinRate <= higher.WinRate)
        {
            return false;
        }

        var pooled = (double)(lower.Won + higher.Won) / (lower.Deals + higher.Deals);
        var se = Math.Sqrt(pooled * (1 - pooled) * ((1.0 / lower.Deals) + (1.0 / higher.Deals)));
        return se > 0 && (lower.WinRate!.Value - higher.WinRate!.Value) / se > Z95;
    }

    private static string Percent(double rate) => rate.ToString("0 %", CultureInfo.InvariantCulture);

    private static double Brier(IReadOnlyList<BacktestCase> cases, Func<BacktestCase, double> probability) =>
        cases.Average(c => Math.Pow(probability(c) - (c.Won ? 1 : 0), 2));

    private static (double Low, double High) Wilson(int successes, int trials)
    {
        if (trials == 0)
        {
            return (0, 1);
        }

        var p = (double)successes / trials;
        var z2 = Z95 * Z95;
        var centre = (p + (z2 / (2 * trials))) / (1 + (z2 / trials));
        var margin = Z95 * Math.Sqrt((p * (1 - p) / trials) + (z2 / (4.0 * trials * trials))) / (1 + (z2 / trials));
        return (Math.Max(0, centre - margin), Math.Min(1, centre + margin));
    }

    /// <summary>
    /// The AUC by ranks (ties count half), in O(n log n) so a hundred thousand deals replay quickly, and its
    /// Hanley–McNeil standard error.
    /// </summary>
    private static double? Separation(IReadOnlyList<BacktestCase> cases, out double standardError)
    {
        standardError = 0;
        var wonCount = cases.Count(c => c.Won);
        var lostCount = cases.Count - wonCount;
        if (wonCount == 0 || lostCount == 0)
        {
            return null;
        }

        double favourable = 0;
        long lostBelow = 0;
        foreach (var group in cases.GroupBy(c => c.Score).OrderBy(g => g.Key))
        {
            var w = group.Count(c => c.Won);
            var l = group.Count() - w;
            favourable += (w * (double)lostBelow) + (0.5 * w * l);
            lostBelow += l;
        }

        var a = favourable / ((double)wonCount * lostCount);
        var q1 = a / (2 - a);
        var q2 = 2 * a * a / (1 + a);
        var variance = ((a * (1 - a)) + ((wonCount - 1) * (q1 - (a * a))) + ((lostCount - 1) * (q2 - (a * a)))) / ((double)wonCount * lostCount);
        standardError = Math.Sqrt(Math.Max(0, variance));
        return a;
    }

    private static bool IsNonIncreasing(List<double> rates)
    {
        for (var i = 1; i < rates.Count; i++)
        {
            if (rates[i] > rates[i - 1])
            {
                return false;
            }
        }

        return true;
    }
}
