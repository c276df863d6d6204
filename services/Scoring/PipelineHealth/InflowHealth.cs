namespace PipelineCoach.Scoring.PipelineHealth;

internal sealed record InflowHealth(int Recent, double Norm, int WindowDays, bool DriedUp);
