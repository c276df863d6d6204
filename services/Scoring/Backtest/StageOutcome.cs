namespace PipelineCoach.Scoring.Backtest;

/// <summary>How the deals that last stood open in one stage of the scorecard's ladder ended, overall and per grade.</summary>
public sealed record StageOutcome
{
    /// <summary>The stage as the scorecard's ladder spells it.</summary>
    public required string Stage { get; init; }

    public required int Deals { get; init; }

    public required int Won { get; init; }

    /// <summary>Won ÷ deals; null when no closed deal last stood open in this stage.</summary>
    public double? WinRate { get; init; }

    /// <summary>Every grade, best to worst as in <see cref="BacktestReport.Grades"/>, with the deals of this stage in it.</summary>
    public required IReadOnlyList<StageGradeOutcome> Grades { get; init; }
}
