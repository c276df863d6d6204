using PipelineCoach.Scoring.Engine;

namespace PipelineCoach.Scoring.Scores;

/// <summary>One scorecard's score of an opportunity. <see cref="Score"/> and <see cref="Grade"/> include a manager override.</summary>
internal sealed record ScoreView(
    string ScorecardId,
    int ScorecardVersion,
    int Score,
    string Grade,
    IReadOnlyList<string> Flags,
    int ComputedScore,
    string ComputedGrade,
    ManagerOverrideView? Override,
    DateTimeOffset SourceVersion,
    DateOnly AsOf,
    DateTimeOffset ScoredAt,
    double? WinProbability,
    string? WinProbabilityBasis,
    IReadOnlyList<CriterionOutcome> Criteria,
    IReadOnlyList<FlagOutcome> FlagDetails,
    string Readiness,
    IReadOnlyList<MissingCriterion> MissingNow);
