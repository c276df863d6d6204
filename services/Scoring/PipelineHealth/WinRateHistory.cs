namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>Closed deals of the team over the look-back: what the coverage target is derived from.</summary>
internal sealed record WinRateHistory(int Closed, int Won);
