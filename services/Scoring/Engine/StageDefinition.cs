using System.Text.Json;
using System.Text.Json.Serialization;

namespace PipelineCoach.Scoring.Engine;

public sealed record StageDefinition
{
    /// <summary>The StageName picklist value, matched case-insensitively.</summary>
    public string Name { get; init; } = "";

    /// <summary>How many days an opportunity normally spends in this stage; drives <c>Derived.StageAgeRatio</c>.</summary>
    public int? NormalDays { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}
