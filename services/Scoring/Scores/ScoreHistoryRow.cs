namespace PipelineCoach.Scoring.Scores;

internal sealed class ScoreHistoryRow
{
    public long Id { get; init; }

    public string ScorecardId { get; init; } = "";

    public int ScorecardVersion { get; init; }

    public string Kind { get; init; } = "";

    public DateTime SourceVersion { get; init; }

    public int Score { get; init; }

    public string Grade { get; init; } = "";

    public string[] Flags { get; init; } = [];

    public int? PreviousScore { get; init; }

    public string? PreviousGrade { get; init; }

    public string[] Reasons { get; init; } = [];

    public string? Detail { get; init; }

    public string? Actor { get; init; }

    public DateTime RecordedAt { get; init; }
}
