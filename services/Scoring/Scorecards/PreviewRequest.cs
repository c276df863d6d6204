using System.Text.Json;
using PipelineCoach.Contracts.Sync;

namespace PipelineCoach.Scoring.Scorecards;

/// <summary>
/// What-if scoring: either a posted opportunity, or an existing one (<see cref="OpportunityId"/>) with field overrides,
/// e.g. <c>{ "opportunityId": "006…", "overrides": { "Economic_Buyer__c": "Dana (CFO)" } }</c>. Nothing is stored.
/// </summary>
internal sealed record PreviewRequest
{
    /// <summary>The scorecard version to use; the active one (or the latest) when omitted.</summary>
    public int? Version { get; init; }

    public string? OpportunityId { get; init; }

    public OpportunitySnapshot? Opportunity { get; init; }

    public IReadOnlyList<ContactRoleSnapshot>? ContactRoles { get; init; }

    public OpportunityHistorySummary? History { get; init; }

    /// <summary>Field API name → value: standard fields (<c>StageName</c>, <c>CloseDate</c>, …) or custom fields (<c>…__c</c>).</summary>
    public Dictionary<string, JsonElement>? Overrides { get; init; }

    /// <summary>The day to score as of; today when omitted.</summary>
    public DateOnly? AsOf { get; init; }
}
