using System.Text.Json;
using System.Text.Json.Serialization;
using PipelineCoach.Contracts.Sync;

namespace PipelineCoach.Scoring;

/// <summary>How the read model stores messages: compact, source-generated, tolerant of casing.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OpportunityChanged))]
[JsonSerializable(typeof(OpportunitySnapshot))]
internal sealed partial class ScoringJson : JsonSerializerContext;
