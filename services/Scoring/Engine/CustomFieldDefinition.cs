using System.Text.Json;
using System.Text.Json.Serialization;

namespace PipelineCoach.Scoring.Engine;

public sealed record CustomFieldDefinition
{
    /// <summary>Salesforce API name, ending in <c>__c</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>One of <c>text</c>, <c>number</c>, <c>date</c>, <c>boolean</c>.</summary>
    public string Type { get; init; } = "";

    public string? Description { get; init; }

    /// <summary>What reps and managers read instead of the API name, e.g. "Compelling event date". Derived from the API name when omitted.</summary>
    public string? Label { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}
