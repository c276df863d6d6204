namespace PipelineCoach.Scoring.Backtest;

/// <summary>How well a scorecard's grades separated won from lost deals.</summary>
public sealed record BacktestReport
{
    public required string ScorecardId { get; init; }

    public required int ScorecardVersion { get; init; }

    public required int Deals { get; init; }

    public required int Won { get; init; }

    public required double BaseWinRate { get; init; }

    /// <summary>Grades from best (highest scores) to worst.</summary>
    public required IReadOnlyList<GradeOutcome> Grades { get; init; }

    /// <summary>
    /// Per stage of the scorecard's ladder, in ladder order: the deals that last stood open in it, per grade. Deals
    /// last open in a stage off the ladder are counted above but not here.
    /// </summary>
    public required IReadOnlyList<StageOutcome> Stages { get; init; }

    /// <summary>Brier score using each grade's stated win probability; null when a band states none. Lower is better.</summary>
    public double? BrierStated { get; init; }

    /// <summary>Brier score reading the score itself as a probability (score ÷ 100).</summary>
    public required double BrierScoreAsProbability { get; init; }

    /// <summary>Brier score of always predicting the overall win rate: the bar to beat.</summary>
    public required double BrierBaseRate { get; init; }

    /// <summary>
    /// The chance that a random won deal scored higher than a random lost one (ties count half): 0.5 is no
    /// separation, 1.0 perfect. Null without both won and lost deals.
    /// </summary>
    public double? Separation { get; init; }

    /// <summary>
    /// The backtest in plain words, e.g. "grades separate won from lost deals well", "no separation: this scorecard
    /// does not predict outcomes in your org" or "too few closed deals".
    /// </summary>
    public required string Verdict { get; init; }

    /// <summary>Deals the mirror held no open snapshot of, replayed from an open snapshot rebuilt from their closed one.</summary>
    public required int ReplayedFromClosedSnapshot { get; init; }

    /// <summary>Whether win rates fall from the best grade to the worst (empty bands skipped).</summary>
    public required bool GradesOrdered { get; init; }

    public required IReadOnlyList<string> Notes { get; init; }
}
