using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.Sync.Reconciliation;

/// <summary>Continuous reconciliation with Salesforce (section <c>Sync:Reconcile</c>).</summary>
public sealed partial class ReconcileOptions : IValidatableObject
{
    public const string Section = "Sync:Reconcile";

    /// <summary>Run reconciliation in the background (tests and one-off tools drive <see cref="Reconciler"/> directly).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the reconciler runs; a missed webhook is repaired within one interval.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How far before the watermark each query starts again: records committed late with an earlier
    /// <c>SystemModstamp</c> (long transactions) are still seen. Re-read records are recognised by version and not republished.
    /// </summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Opportunity fields read by reconciliation and the initial load (custom fields included).</summary>
    [MinLength(1)]
    public IList<string> OpportunityFields { get; set; } =
    [
        "Id", "Name", "AccountId", "OwnerId", "StageName", "Amount", "Probability", "CloseDate", "ForecastCategoryName",
        "NextStep", "LastActivityDate", "IsClosed", "IsWon", "Type", "LeadSource", "CreatedDate", "LastModifiedDate",
        "LastModifiedById", "SystemModstamp", "Compelling_Event_Date__c", "Executive_Sponsor__c", "Discount_Percent__c",
        "Next_Step_Date__c", "Compelling_Event__c", "Economic_Buyer__c", "Identified_Pain__c", "Decision_Process__c",
        "Decision_Criteria__c", "Metrics__c", "Champion__c", "Competition__c",
    ];

    /// <summary>
    /// Date fields, comma-separated, whose moves are read from <c>OpportunityFieldHistory</c> (field history tracking
    /// must be on for each in Salesforce): how often the compelling event date was moved later tells a customer's date
    /// from a seller's. Empty turns the poll off. A string rather than a list because configuration binding adds a
    /// configured list to a default one instead of replacing it, and cannot express an empty list at all.
    /// </summary>
    public string FollowedDateFields { get; set; } = "Compelling_Event_Date__c";

    /// <summary><see cref="FollowedDateFields"/> as names, in the order given.</summary>
    public IReadOnlyList<string> FollowedDateFieldNames =>
        FollowedDateFields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Load the whole org with Bulk API 2.0 when no watermark exists yet.</summary>
    public bool InitialLoadWhenEmpty { get; set; } = true;

    /// <summary>Rows per Bulk API results chunk.</summary>
    [Range(1000, 1_000_000)]
    public int BulkChunkSize { get; set; } = 50_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        FollowedDateFieldNames.Where(field => !ApiName().IsMatch(field))
            .Select(field => new ValidationResult($"'{field}' is not a Salesforce field API name.", [nameof(FollowedDateFields)]));

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,79}$")]
    private static partial System.Text.RegularExpressions.Regex ApiName();
}
