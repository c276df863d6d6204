namespace PipelineCoach.Contracts.Sync;

/// <summary>An opportunity was deleted in Salesforce (or found deleted by reconciliation).</summary>
public sealed record OpportunityDeleted
{
    /// <summary>The stable message name (exchange name) for this contract.</summary>
    public const string MessageName = "sync.opportunity-deleted";

    /// <summary>The 18-character Salesforce id of the deleted opportunity; the business key.</summary>
    public required string OpportunityId { get; init; }

    /// <summary>The 18-character Salesforce organization id.</summary>
    public required string OrganizationId { get; init; }

    /// <summary>The source version of the delete (deletion time or change event commit time).</summary>
    public required DateTimeOffset SourceVersion { get; init; }

    /// <summary>When the delete happened in Salesforce.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>How CRM sync learned of the delete: <c>webhook</c>, <c>reconcile</c> or <c>initial-load</c>.</summary>
    public required string Source { get; init; }
}
