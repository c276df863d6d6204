namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>
/// The team's closed deals over the look-back that reached the qualified stage (<see cref="Stage"/>), counted and by
/// value: what the coverage target is derived from.
/// </summary>
internal sealed record WinRateHistory(int Closed, int Won, decimal ClosedAmount = 0, decimal WonAmount = 0, string Stage = "Needs Analysis", int LookbackDays = 365);
