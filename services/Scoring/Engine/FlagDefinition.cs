using System.Text.Json;
using System.Text.Json.Serialization;

namespace PipelineCoach.Scoring.Engine;

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
