namespace PipelineCoach.Cadence.Agendas.Scoring;

/// <summary>One scorecard's score of an opportunity (the fields agendas use).</summary>
internal sealed record ScoringScore(
    string ScorecardId,
    int Score,
    string Grade,
    IReadOnlyList<string> Flags,
    IReadOnlyList<ScoringCriterion> Criteria,
    IReadOnlyList<ScoringFlag> FlagDetails);
