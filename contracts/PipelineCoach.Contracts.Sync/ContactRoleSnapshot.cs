namespace PipelineCoach.Contracts.Sync;

/// <summary>One OpportunityContactRole of an opportunity.</summary>
public sealed record ContactRoleSnapshot
{
    /// <summary>18-character contact id.</summary>
    public required string ContactId { get; init; }

    /// <summary>Role picklist value (e.g. <c>Economic Buyer</c>, <c>Decision Maker</c>); null when not set.</summary>
    public string? Role { get; init; }

    /// <summary>Whether this is the primary contact role.</summary>
    public bool IsPrimary { get; init; }
}
