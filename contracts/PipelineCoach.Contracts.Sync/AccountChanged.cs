namespace PipelineCoach.Contracts.Sync;

/// <summary>A Salesforce account changed.</summary>
public sealed record AccountChanged
{
    /// <summary>The stable message name (exchange name) for this contract.</summary>
    public const string MessageName = "sync.account-changed";

    /// <summary>The 18-character account id; the business key.</summary>
    public required string AccountId { get; init; }

    /// <summary>The 18-character Salesforce organization id.</summary>
    public required string OrganizationId { get; init; }

    /// <summary>The source version (<c>SystemModstamp</c>).</summary>
    public required DateTimeOffset SourceVersion { get; init; }

    /// <summary>When the change happened in Salesforce.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Account name.</summary>
    public string? Name { get; init; }

    /// <summary>18-character id of the owning user.</summary>
    public string? OwnerId { get; init; }
}
