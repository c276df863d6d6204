using System.Text.Json;
using System.Text.Json.Serialization;

namespace PipelineCoach.Scoring.Engine;

/// <summary>
/// A versioned qualification scorecard: weighted criteria with stage expectations, risk flags and grade bands.
/// Stored and exchanged as JSON (the Scorecards feature reads and writes it); validated by <see cref="ScorecardValidator"/>.
/// </summary>
public sealed record Scorecard
{
    /// <summary>Stable slug (e.g. <c>proactive-qualification</c>); the same across versions.</summary>
    public string Id { get; init; } = "";

    /// <summary>Version number, starting at 1. A stored version is immutable.</summary>
    public int Version { get; init; }

    public string Name { get; init; } = "";

    public string? Description { get; init; }

    /// <summary>The open stages in order; stage expectations and the stalled flag refer to them.</summary>
    public IReadOnlyList<StageDefinition> Stages { get; init; } = [];

    /// <summary>The Salesforce custom fields the criteria and flags read, with their types.</summary>
    public IReadOnlyList<CustomFieldDefinition> CustomFields { get; init; } = [];

    public IReadOnlyList<CriterionDefinition> Criteria { get; init; } = [];

    public IReadOnlyList<FlagDefinition> Flags { get; init; } = [];

    public IReadOnlyList<GradeBand> Grades { get; init; } = [];

    /// <summary>
    /// The declared date custom field holding the customer's compelling event; drives <c>Derived.DaysFromCloseToEvent</c>.
    /// </summary>
    public string? CompellingEventField { get; init; }

    /// <summary>The month (1–12) the org's fiscal year starts; drives <c>Derived.DaysToQuarterEnd</c>. Default January.</summary>
    public int? FiscalYearStartMonth { get; init; }

    /// <summary>Properties the JSON carried that the model does not know; the validator rejects each one.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}
