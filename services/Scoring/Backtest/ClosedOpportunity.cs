using PipelineCoach.Contracts.Sync;

namespace PipelineCoach.Scoring.Backtest;

/// <summary>A closed opportunity to replay: its last open snapshot, the day to score it as of, and the outcome.</summary>
public sealed record ClosedOpportunity(OpportunityChanged LastOpenSnapshot, DateOnly AsOf, bool Won);
