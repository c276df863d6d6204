namespace PipelineCoach.Scoring.Backtest;

public sealed record GradeOutcome
{
    public required string Grade { get; init; }

    public required int Min { get; init; }

    public required int Max { get; init; }

    public required int Deals { get; init; }

    public required int Won { get; init; }

    public int Lost => Deals - Won;

    /// <summary>Won ÷ deals; null for an empty band.</summary>
    public double? WinRate { get; init; }

    /// <summary>
    /// Win rate shrunk towards the overall win rate (a Beta prior worth <see cref="ScorecardBacktest.PriorStrength"/>
    /// deals), so a band with three deals does not claim 0 % or 100 %. The suggested calibrated probability.
    /// </summary>
    public required double SmoothedWinRate { get; init; }

    /// <summary>95 % Wilson interval of the win rate: honest about how little tens of deals can tell.</summary>
    public required double WinRateLow { get; init; }

    public required double WinRateHigh { get; init; }

    /// <summary>The probability the scorecard states for this band, if any.</summary>
    public double? StatedWinProbability { get; init; }

    /// <summary>
    /// The org's own estimate of the win probability: <see cref="SmoothedWinRate"/> once the band and the org have
    /// enough closed deals (<see cref="ScorecardBacktest.MinDealsPerGrade"/>, <see cref="ScorecardBacktest.MinClosedDeals"/>);
    /// null while history is too thin, when <see cref="StatedWinProbability"/> stands in.
    /// </summary>
    public double? EstimatedWinProbability { get; init; }
}
