namespace PipelineCoach.Scoring.Engine;

public sealed record FlagOutcome(string Id, string Name, bool Raised, string Reason, EvidenceSnapshot Evidence);
