using System.Text.Json;
using System.Text.Json.Serialization;

namespace PipelineCoach.Scoring.Engine;

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
