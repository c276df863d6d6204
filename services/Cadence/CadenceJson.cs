using System.Text.Json;
using System.Text.Json.Serialization;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Contracts.Cadence;

namespace PipelineCoach.Cadence;

/// <summary>How definitions and agendas are stored in jsonb: camelCase, as the API shows them.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CadenceDefinition))]
[JsonSerializable(typeof(IReadOnlyList<AgendaSection>))]
internal sealed partial class CadenceJson : JsonSerializerContext
{
    public static string Serialize(CadenceDefinition definition) => JsonSerializer.Serialize(definition, Default.CadenceDefinition);

    public static CadenceDefinition DeserializeDefinition(string json) =>
        JsonSerializer.Deserialize(json, Default.CadenceDefinition) ?? throw new JsonException("Empty cadence definition.");

    public static string Serialize(IReadOnlyList<AgendaSection> agenda) => JsonSerializer.Serialize(agenda, Default.IReadOnlyListAgendaSection);

    public static IReadOnlyList<AgendaSection> DeserializeAgenda(string json) =>
        JsonSerializer.Deserialize(json, Default.IReadOnlyListAgendaSection) ?? [];
}
