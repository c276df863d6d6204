namespace PipelineCoach.Cadence.Agendas.Scoring;

/// <summary>A risk flag's outcome, with its reason in words.</summary>
internal sealed record ScoringFlag(string Id, string Name, bool Raised, string Reason);
