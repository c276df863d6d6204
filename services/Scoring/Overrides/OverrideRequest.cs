namespace PipelineCoach.Scoring.Overrides;

/// <summary>A manager's judgement replacing the computed score. The reason is the only explanation: criteria never explain an override.</summary>
internal sealed record OverrideRequest(int? Score, string? Reason, string? ScorecardId);
