using System.Text.Json.Serialization;

namespace PipelineCoach.Scoring.Engine;

public sealed record CriterionOutcome(
    string Id,
    string Name,
    int Weight,
    [property: JsonConverter(typeof(JsonStringEnumConverter<CriterionStatus>))] CriterionStatus Status,
    int Points,
    string? ExpectedFromStage,
    EvidenceSnapshot Evidence,
    string Reason = "");
