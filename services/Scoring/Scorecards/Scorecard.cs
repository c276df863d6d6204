using System.Text.Json;
using System.Text.Json.Serialization;

namespace PipelineCoach.Scoring.Scorecards;

/// <summary>
/// A versioned qualification scorecard: weighted criteria with stage expectations, risk flags and grade bands.
/// Stored and exchanged as JSON (see <see cref="ScorecardJson"/>); validated by <see cref="ScorecardValidator"/>.
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

    /// <summary>Properties the JSON carried that the model does not know; the validator rejects each one.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}

public sealed record StageDefinition
{
    /// <summary>The StageName picklist value, matched case-insensitively.</summary>
    public string Name { get; init; } = "";

    /// <summary>How many days an opportunity normally spends in this stage; drives <c>Derived.StageAgeRatio</c>.</summary>
    public int? NormalDays { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}

public sealed record CustomFieldDefinition
{
    /// <summary>Salesforce API name, ending in <c>__c</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>One of <c>text</c>, <c>number</c>, <c>date</c>, <c>boolean</c>.</summary>
    public string Type { get; init; } = "";

    public string? Description { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}

public sealed record CriterionDefinition
{
    public string Id { get; init; } = "";

    /// <summary>Shown to reps and managers, e.g. "Economic buyer known".</summary>
    public string Name { get; init; } = "";

    public string? Description { get; init; }

    /// <summary>Points awarded when met; the weights of a scorecard add up to 100.</summary>
    public int Weight { get; init; }

    /// <summary>
    /// The stage from which the criterion must be met ("by Proposal, the economic buyer must be known").
    /// Before it an unmet criterion is "not yet expected"; null means expected at every stage.
    /// </summary>
    public string? ExpectedFromStage { get; init; }

    public Condition? Rule { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}

public sealed record FlagDefinition
{
    /// <summary>The flag code published in <c>OpportunityScored.Flags</c>, e.g. <c>slipping</c>.</summary>
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public string? Description { get; init; }

    /// <summary>The flag is raised on an open opportunity when this condition holds.</summary>
    public Condition? When { get; init; }

    /// <summary>Why the flag is raised, with <c>{Fact}</c> placeholders, e.g. "close date pushed {History.CloseDatePushCount} times".</summary>
    public string Reason { get; init; } = "";

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}

public sealed record GradeBand
{
    /// <summary>Label such as <c>A</c>.</summary>
    public string Grade { get; init; } = "";

    /// <summary>Lowest score in the band, inclusive.</summary>
    public int Min { get; init; }

    /// <summary>Highest score in the band, inclusive.</summary>
    public int Max { get; init; }

    /// <summary>The calibrated chance (0–1) that a deal in this band is won; the backtest measures it.</summary>
    public double? WinProbability { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}

/// <summary>
/// Either a comparison (<see cref="Field"/> + <see cref="Operator"/> + <see cref="Value"/>/<see cref="Values"/>)
/// or a group (<see cref="All"/> or <see cref="Any"/>) — exactly one of the three shapes.
/// </summary>
public sealed record Condition
{
    /// <summary>A fact name from <see cref="FactCatalog"/> or a declared custom field.</summary>
    public string? Field { get; init; }

    public string? Operator { get; init; }

    /// <summary>The operand for single-value operators: a JSON number, string or boolean.</summary>
    public JsonElement? Value { get; init; }

    /// <summary>The operands for list operators (<c>in</c>, <c>notIn</c>, <c>containsAny</c>, <c>containsAll</c>, <c>containsNone</c>).</summary>
    public IReadOnlyList<string>? Values { get; init; }

    public IReadOnlyList<Condition>? All { get; init; }

    public IReadOnlyList<Condition>? Any { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}
