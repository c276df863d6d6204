namespace PipelineCoach.Scoring.Backtest;

/// <summary>One closed deal as the scorecard saw it: its score and grade before the close, and how it ended.</summary>
public sealed record BacktestCase(string OpportunityId, int Score, string Grade, bool Won);
