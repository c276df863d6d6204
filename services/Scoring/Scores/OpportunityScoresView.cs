namespace PipelineCoach.Scoring.Scores;

internal sealed record OpportunityScoresView(string OpportunityId, IReadOnlyList<ScoreView> Scores);
