namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>A threshold check: <see cref="IsRaised"/> with the value and threshold compared, and why in words.</summary>
internal sealed record HealthCondition(string Condition, bool IsRaised, decimal Value, decimal Threshold, string Reason);
