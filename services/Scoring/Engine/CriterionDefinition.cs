using System.Text.Json;
using System.Text.Json.Serialization;

namespace PipelineCoach.Scoring.Engine;

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

    /// <summary>
    /// The one-line coaching prompt shown when the criterion is expected and not met, e.g. "Who signs? No economic buyer is
    /// named yet." Defaults to a sentence built from the name.
    /// </summary>
    public string? Prompt { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}
