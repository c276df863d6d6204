namespace PipelineCoach.Cadence.Agendas.Scoring;

/// <summary>A manager's team: the team's totals and each rep's report.</summary>
internal sealed record ScoringTeamHealth(ScoringHealthReport Team, IReadOnlyList<ScoringHealthReport> Reps);
