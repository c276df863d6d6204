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

    /// <summary>
    /// The reason of each flag raised by this score, keyed by flag code, in plain words led by the flag's name
    /// ("Slipping: close date pushed out 3 times, …"). Empty from publishers older than this property.
    /// </summary>
    public IReadOnlyDictionary<string, string> FlagReasons { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// <c>on-track</c> when every criterion the deal's stage expects is met, <c>behind</c> otherwise. Null from publishers
    /// older than this property.
    /// </summary>
    public string? Readiness { get; init; }

    /// <summary>The one-line coaching prompts of the criteria the deal's stage expects and that are not met, in scorecard order.</summary>
    public IReadOnlyList<string> MissingNow { get; init; } = [];

    /// <summary>True when a manager override produced this score.</summary>
    public bool IsOverride { get; init; }

    /// <summary>
    /// What caused this score (values in <see cref="ScoreCause"/>): <c>change</c> (a live opportunity change: webhook or
    /// outbound message), <c>initial-load</c> and <c>reconcile</c> (the <c>OpportunityChanged.Source</c> of the change
    /// scored), <c>activation</c> (a scorecard version was activated and everything rescored), <c>daily</c> (the daily
    /// as-of refresh: the deal aged into or out of a flag) or <c>override</c> (a manager set or cleared an override).
    /// <c>initial-load</c>, <c>reconcile</c> and <c>activation</c> are bulk (<see cref="ScoreCause.IsBulk"/>): digest
    /// them, never announce them one by one. Null from publishers older than this property.
    /// </summary>
    public string? Cause { get; init; }
}
