namespace PipelineCoach.Contracts.Sync;

/// <summary>A Salesforce user changed (name, email, manager, time zone or active flag).</summary>
public sealed record UserChanged
{
    /// <summary>The stable message name (exchange name) for this contract.</summary>
    public const string MessageName = "sync.user-changed";

    /// <summary>The 18-character user id; the business key.</summary>
    public required string UserId { get; init; }

    /// <summary>The 18-character Salesforce organization id.</summary>
    public required string OrganizationId { get; init; }

    /// <summary>The source version (<c>SystemModstamp</c>).</summary>
    public required DateTimeOffset SourceVersion { get; init; }

    /// <summary>When the change happened in Salesforce.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Full name.</summary>
    public string? Name { get; init; }

    /// <summary>Email address.</summary>
    public string? Email { get; init; }

    /// <summary>18-character id of the user's manager, if any.</summary>
    public string? ManagerId { get; init; }

    /// <summary>IANA or Salesforce time zone id (e.g. <c>America/New_York</c>).</summary>
    public string? TimeZone { get; init; }

    /// <summary>Whether the user is active.</summary>
    public bool IsActive { get; init; } = true;
}
