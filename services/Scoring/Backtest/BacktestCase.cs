namespace PipelineCoach.Scoring.Backtest;

/// <summary>
/// One closed deal as the scorecard saw it: its score and grade before the close, how it ended, and the stage it
/// stood in at its last open snapshot (null when not known; a stage off the scorecard's ladder is not reported per stage).
/// </summary>
public sealed record BacktestCase(string OpportunityId, int Score, string Grade, bool Won, string? Stage = null);
