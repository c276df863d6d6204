namespace PipelineCoach.Scoring.Backtest;

/// <summary>The closed deals of one grade that last stood open in one stage.</summary>
public sealed record StageGradeOutcome
{
    public required string Grade { get; init; }

    public required int Deals { get; init; }

    public required int Won { get; init; }

    /// <summary>
    /// The org's own estimate of the win probability of this grade at this stage: the cell's win rate shrunk towards
    /// the grade's win rate across all stages (a Beta prior worth <see cref="ScorecardBacktest.PriorStrength"/> deals),
    /// once the cell has <see cref="ScorecardBacktest.MinDealsPerGrade"/> deals and the org
    /// <see cref="ScorecardBacktest.MinClosedDeals"/> with both outcomes; null otherwise, when the grade's estimate
    /// (<see cref="GradeOutcome.EstimatedWinProbability"/>) stands in.
    /// </summary>
    public double? EstimatedWinProbability { get; init; }
}
