using PipelineCoach.Scoring.Engine;

namespace PipelineCoach.Scoring.Scores;

/// <summary>One scorecard's score of an opportunity. <see cref="Score"/> and <see cref="Grade"/> include a manager override.</summary>
/// <param name="WinProbability">The chance a deal of this grade is won, from the most specific figure the org's closed deals support (0–1).</param>
/// <param name="WinProbabilityBasis">
/// Where <paramref name="WinProbability"/> comes from: <c>estimated-for-stage</c> (the grade's win rate among the
/// org's closed deals that last stood open in the deal's current stage), <c>estimated</c> (the grade's win rate
/// across all stages, where the stage has too few) or <c>stated</c> (the scorecard's figure, where the org's
/// history is too thin for either); null when there is no figure at all. See <see cref="Backtest.WinProbabilityBasis"/>.
/// </param>
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
