using PipelineCoach.Scoring.Engine;

namespace PipelineCoach.Scoring.Scores;

/// <summary>A freshly computed score, ready to store; <see cref="Changed"/> ones also go to history and the outbox.</summary>
internal sealed class ScoreOutcome
{
    public required string OpportunityId { get; init; }

    public required string ScorecardId { get; init; }

    public required int ScorecardVersion { get; init; }

    public string? OwnerId { get; init; }

    public required DateTimeOffset SourceVersion { get; init; }

    public required DateOnly AsOf { get; init; }

    public required int Score { get; init; }

    public required string Grade { get; init; }

    public required string[] Flags { get; init; }

    public required string Statuses { get; init; }

    /// <summary>Score, grade or flags as seen by others (override included) changed: store history, publish.</summary>
    public required bool Changed { get; init; }

    public StoredScore? Previous { get; init; }

    /// <summary>The compact breakdown score history keeps for a changed score (<see cref="ScoreBreakdown"/>).</summary>
    public string? Breakdown { get; init; }

    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>The reasons of the raised flags, keyed by flag code; filled only for a changed score (it is published).</summary>
    public IReadOnlyDictionary<string, string> FlagReasons { get; init; } = new Dictionary<string, string>();

    /// <summary><c>on-track</c> or <c>behind</c>.</summary>
    public string Readiness { get; init; } = Engine.Readiness.OnTrack;

    /// <summary>The coaching prompts of the expected criteria not met; filled only for a changed score (it is published).</summary>
    public IReadOnlyList<string> MissingNow { get; init; } = [];

    /// <summary>What caused the score, published as <c>OpportunityScored.Cause</c> (a <c>ScoreCause</c> value).</summary>
    public required string Cause { get; init; }
}
