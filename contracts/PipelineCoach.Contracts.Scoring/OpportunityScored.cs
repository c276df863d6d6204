namespace PipelineCoach.Contracts.Scoring;

/// <summary>
/// An opportunity's qualification score, grade or risk flags changed. Published only on a real change,
/// with the previous values and the reasons.
/// </summary>
public sealed record OpportunityScored
{
    /// <summary>The stable message name (exchange name) for this contract.</summary>
    public const string MessageName = "scoring.opportunity-scored";

    /// <summary>The 18-character Salesforce opportunity id; the business key.</summary>
    public required string OpportunityId { get; init; }

    /// <summary>18-character id of the opportunity owner at scoring time.</summary>
    public string? OwnerId { get; init; }

    /// <summary>The opportunity source version (<c>SystemModstamp</c>) the score was computed from.</summary>
    public required DateTimeOffset SourceVersion { get; init; }

    /// <summary>When the score was computed.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Scorecard id.</summary>
    public required string ScorecardId { get; init; }

    /// <summary>Scorecard version number.</summary>
    public required int ScorecardVersion { get; init; }

    /// <summary>Score from 0 to 100.</summary>
    public required int Score { get; init; }

    /// <summary>Grade band label (e.g. <c>A</c>).</summary>
    public required string Grade { get; init; }

    /// <summary>Risk flag codes now raised (e.g. <c>slipping</c>, <c>stalled</c>).</summary>
    public required IReadOnlyList<string> Flags { get; init; }

    /// <summary>The previous score, or null for the first score.</summary>
    public int? PreviousScore { get; init; }

    /// <summary>The previous grade, or null for the first score.</summary>
    public string? PreviousGrade { get; init; }

    /// <summary>The previously raised flags (empty for the first score).</summary>
    public IReadOnlyList<string> PreviousFlags { get; init; } = [];

    /// <summary>Human-readable reasons for what changed (criteria met or lost, flags raised or cleared).</summary>
    public IReadOnlyList<string> Changes { get; init; } = [];

    /// <summary>True when a manager override produced this score.</summary>
    public bool IsOverride { get; init; }
}
