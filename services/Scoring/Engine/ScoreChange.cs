namespace PipelineCoach.Scoring.Engine;

/// <summary>What changed between two scores of one opportunity, and why, in words a rep or manager reads.</summary>
public sealed record ScoreChange
{
    public required bool IsFirstScore { get; init; }

    public required bool ScoreChanged { get; init; }

    public required bool GradeChanged { get; init; }

    public required bool FlagsChanged { get; init; }

    /// <summary>True when score, grade or flags changed: the condition for publishing <c>OpportunityScored</c>.</summary>
    public bool HasChanged => IsFirstScore || ScoreChanged || GradeChanged || FlagsChanged;

    public int? PreviousScore { get; init; }

    public string? PreviousGrade { get; init; }

    public IReadOnlyList<string> PreviousFlags { get; init; } = [];

    public IReadOnlyList<string> RaisedFlags { get; init; } = [];

    public IReadOnlyList<string> ClearedFlags { get; init; } = [];

    /// <summary>E.g. "criterion 'Economic buyer known' now met", "flag 'slipping' raised: close date pushed 3 times".</summary>
    public required IReadOnlyList<string> Reasons { get; init; }
}
