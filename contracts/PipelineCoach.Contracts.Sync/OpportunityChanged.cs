namespace PipelineCoach.Contracts.Sync;

/// <summary>
/// An opportunity in the Salesforce mirror changed (created, updated, undeleted or re-read by reconciliation).
/// Carries the full snapshot so consumers need no callback to CRM sync.
/// </summary>
public sealed record OpportunityChanged
{
    /// <summary>The stable message name (exchange name) for this contract.</summary>
    public const string MessageName = "sync.opportunity-changed";

    /// <summary>The 18-character Salesforce id of the opportunity; the business key.</summary>
    public required string OpportunityId { get; init; }

    /// <summary>The 18-character Salesforce organization id the record belongs to.</summary>
    public required string OrganizationId { get; init; }

    /// <summary>
    /// The source version of this snapshot (Salesforce <c>SystemModstamp</c>, or the change event commit time
    /// when the modstamp is not known). Consumers discard snapshots older than the one they hold.
    /// </summary>
    public required DateTimeOffset SourceVersion { get; init; }

    /// <summary>When the change happened in Salesforce.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>How CRM sync learned of the change: <c>webhook</c>, <c>outbound-message</c>, <c>reconcile</c> or <c>initial-load</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The kind of change: <c>CREATE</c>, <c>UPDATE</c>, <c>UNDELETE</c> or <c>SNAPSHOT</c> (a full re-read).</summary>
    public required string ChangeType { get; init; }

    /// <summary>Salesforce API names of the fields that changed; empty when unknown (a full snapshot).</summary>
    public required IReadOnlyList<string> ChangedFields { get; init; }

    /// <summary>True when the change was written by Pipeline Coach itself (an echo of a write-back).</summary>
    public bool IsOwnWrite { get; init; }

    /// <summary>The opportunity as stored after the change.</summary>
    public required OpportunitySnapshot Opportunity { get; init; }

    /// <summary>
    /// Previous values of key fields that changed (<c>StageName</c>, <c>CloseDate</c>, <c>Amount</c>, <c>OwnerId</c>,
    /// <c>NextStep</c>), as invariant-culture strings keyed by API name; empty when unknown.
    /// </summary>
    public IReadOnlyDictionary<string, string?> PreviousValues { get; init; } = new Dictionary<string, string?>();

    /// <summary>History derived from <c>OpportunityHistory</c> so consumers need no history queries; null when not yet known.</summary>
    public OpportunityHistorySummary? History { get; init; }

    /// <summary>The opportunity's contact roles as currently mirrored.</summary>
    public IReadOnlyList<ContactRoleSnapshot> ContactRoles { get; init; } = [];
}
