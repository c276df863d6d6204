using PipelineCoach.Scoring.Engine;

namespace PipelineCoach.Scoring.Scores;

internal sealed record ScoreHistoryView(
    long Id,
    string ScorecardId,
    int ScorecardVersion,
    string Kind,
    DateTimeOffset SourceVersion,
    int Score,
    string Grade,
    IReadOnlyList<string> Flags,
    int? PreviousScore,
    string? PreviousGrade,
    IReadOnlyList<string> Reasons,
    string? Actor,
    DateTimeOffset RecordedAt,
    ScoreSnapshot? Detail);
