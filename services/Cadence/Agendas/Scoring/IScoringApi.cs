using Refit;

namespace PipelineCoach.Cadence.Agendas.Scoring;

/// <summary>The Scoring API calls agendas make (read-only, scope <c>scoring.read</c>). Shapes: Scoring's ScoreView and HealthReport.</summary>
internal interface IScoringApi
{
    /// <summary>The opportunity's score on each active scorecard, with criteria and flag details; 404 before its first score.</summary>
    [Get("/api/v1/opportunities/{id}/score")]
    Task<IApiResponse<ScoringOpportunityScores>> GetScoresAsync(string id, CancellationToken cancellationToken);

    /// <summary>A rep's pipeline health in the current fiscal period.</summary>
    [Get("/api/v1/pipeline/health")]
    Task<ScoringHealthReport> GetRepHealthAsync(string ownerId, CancellationToken cancellationToken);

    /// <summary>A manager's team health with each rep's, in the current fiscal period.</summary>
    [Get("/api/v1/pipeline/health")]
    Task<ScoringTeamHealth> GetTeamHealthAsync(string managerId, CancellationToken cancellationToken);
}
