namespace PipelineCoach.Cadence.Agendas.Scoring;

/// <summary>New opportunities in the recent window against the norm of the windows before it.</summary>
internal sealed record ScoringInflow(int Recent, double Norm, int WindowDays, bool DriedUp);
