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

    private const double Z95 = 1.959964;

    /// <summary>Scores each closed opportunity's last open snapshot and reports how the grades did.</summary>
    public static BacktestReport Replay(CompiledScorecard scorecard, IEnumerable<ClosedOpportunity> closed)
    {
        ArgumentNullException.ThrowIfNull(scorecard);
        ArgumentNullException.ThrowIfNull(closed);
        var facts = scorecard.CreateFacts();
        var result = scorecard.CreateResult();
        var cases = new List<BacktestCase>();
        foreach (var deal in closed)
        {
            facts.Load(deal.LastOpenSnapshot);
            scorecard.Score(facts, deal.AsOf, result);
            cases.Add(new BacktestCase(deal.LastOpenSnapshot.OpportunityId, result.Score, result.Grade, deal.Won));
        }

        return Report(scorecard.Definition, cases);
    }

    /// <summary>Reports on scores already computed (e.g. each closed deal's last stored score).</summary>
    public static BacktestReport Report(Scorecard scorecard, IReadOnlyList<BacktestCase> cases)
    {
        ArgumentNullException.ThrowIfNull(scorecard);
        ArgumentNullException.ThrowIfNull(cases);
        var deals = cases.Count;
        var won = cases.Count(c => c.Won);
        var baseRate = deals == 0 ? 0 : (double)won / deals;
        var bands = scorecard.Grades.OrderByDescending(band => band.Min).ToList();
        var grades = bands.Select(band => Outcome(band, cases.Where(c => c.Score >= band.Min && c.Score <= band.Max).ToList(), baseRate)).ToList();

        var notes = new List<string>();
        if (deals == 0)
        {
            notes.Add("No closed deals to replay yet.");
        }
        else if (deals < 30)
        {
            notes.Add($"Only {deals} closed deals: read the win-rate intervals, not just the rates.");
        }

        if (won == 0 || won == deals)
        {
            notes.Add("Every deal had the same outcome, so grades cannot be compared yet.");
        }

        foreach (var grade in grades.Where(g => g.Deals is > 0 and < 5))
        {
            notes.Add($"Grade {grade.Grade} has {grade.Deals} deal(s); its smoothed win rate leans on the overall rate.");
        }

        var ordered = IsNonIncreasing(grades.Where(g => g.WinRate is not null).Select(g => g.WinRate!.Value).ToList());
        if (!ordered)
        {
            notes.Add("A lower grade won more often than a higher one: revisit the criteria or weights.");
        }

        var allStated = bands.All(band => band.WinProbability is not null);
        return new BacktestReport
        {
            ScorecardId = scorecard.Id,
            ScorecardVersion = scorecard.Version,
            Deals = deals,
            Won = won,
            BaseWinRate = baseRate,
            Grades = grades,
            BrierStated = allStated && deals > 0
                ? Brier(cases, c => bands.First(band => c.Score >= band.Min && c.Score <= band.Max).WinProbability!.Value)
                : null,
            BrierScoreAsProbability = deals == 0 ? 0 : Brier(cases, c => c.Score / 100.0),
            BrierBaseRate = deals == 0 ? 0 : Brier(cases, _ => baseRate),
            Separation = Separation(cases),
            GradesOrdered = ordered,
            Notes = notes,
        };
    }

    private static GradeOutcome Outcome(GradeBand band, List<BacktestCase> inBand, double baseRate)
    {
        var deals = inBand.Count;
        var won = inBand.Count(c => c.Won);
        var (low, high) = Wilson(won, deals);
        return new GradeOutcome
        {
            Grade = band.Grade,
            Min = band.Min,
            Max = band.Max,
            Deals = deals,
            Won = won,
            WinRate = deals == 0 ? null : (double)won / deals,
            SmoothedWinRate = (won + (PriorStrength * baseRate)) / (deals + PriorStrength),
            WinRateLow = low,
            WinRateHigh = high,
            StatedWinProbability = band.WinProbability,
        };
    }

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

    private static double? Separation(IReadOnlyList<BacktestCase> cases)
    {
        var wonScores = cases.Where(c => c.Won).Select(c => c.Score).ToList();
        var lostScores = cases.Where(c => !c.Won).Select(c => c.Score).ToList();
        if (wonScores.Count == 0 || lostScores.Count == 0)
        {
            return null;
        }

        double favourable = 0;
        foreach (var w in wonScores)
        {
            foreach (var l in lostScores)
            {
                favourable += w > l ? 1 : w == l ? 0.5 : 0;
            }
        }

        return favourable / ((double)wonScores.Count * lostScores.Count);
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
