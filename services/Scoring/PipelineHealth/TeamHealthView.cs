namespace PipelineCoach.Scoring.PipelineHealth;

internal sealed record TeamHealthView(HealthReport Team, IReadOnlyList<HealthReport> Reps);
