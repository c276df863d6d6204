namespace PipelineCoach.Cadence.Agendas.Scoring;

/// <summary>GET /api/v1/opportunities/{id}/score.</summary>
internal sealed record ScoringOpportunityScores(string OpportunityId, IReadOnlyList<ScoringScore> Scores);
