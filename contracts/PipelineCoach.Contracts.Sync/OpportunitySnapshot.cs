namespace PipelineCoach.Contracts.Sync;

/// <summary>The mirrored state of one Salesforce Opportunity.</summary>
public sealed record OpportunitySnapshot
{
    /// <summary>18-character opportunity id.</summary>
    public required string Id { get; init; }

    /// <summary>Opportunity name.</summary>
    public string? Name { get; init; }

    /// <summary>18-character id of the account, if any.</summary>
    public string? AccountId { get; init; }

    /// <summary>18-character id of the owning user.</summary>
    public string? OwnerId { get; init; }

    /// <summary>Stage picklist value (e.g. <c>Prospecting</c>, <c>Closed Won</c>).</summary>
    public string? StageName { get; init; }

    /// <summary>Amount in the org currency.</summary>
    public decimal? Amount { get; init; }

    /// <summary>Probability (0–100).</summary>
    public decimal? Probability { get; init; }

    /// <summary>Expected close date.</summary>
    public DateOnly? CloseDate { get; init; }

    /// <summary>Forecast category name (Omitted, Pipeline, Best Case, Commit, Closed).</summary>
    public string? ForecastCategoryName { get; init; }

    /// <summary>Next step text (up to 255 characters).</summary>
    public string? NextStep { get; init; }

    /// <summary>Date of the latest task or event on the opportunity.</summary>
    public DateOnly? LastActivityDate { get; init; }

    /// <summary>Whether the stage is a closed stage.</summary>
    public bool? IsClosed { get; init; }

    /// <summary>Whether the stage is a won stage.</summary>
    public bool? IsWon { get; init; }

    /// <summary>When the opportunity was created.</summary>
    public DateTimeOffset? CreatedDate { get; init; }

    /// <summary>When the opportunity was last modified by a user.</summary>
    public DateTimeOffset? LastModifiedDate { get; init; }

    /// <summary>Salesforce <c>SystemModstamp</c>, the record version.</summary>
    public DateTimeOffset? SystemModstamp { get; init; }

    /// <summary>
    /// Every other field received (custom fields such as <c>Compelling_Event_Date__c</c>), as invariant-culture
    /// strings keyed by API name; null values are fields explicitly set to null.
    /// </summary>
    public IReadOnlyDictionary<string, string?> CustomFields { get; init; } = new Dictionary<string, string?>();
}
