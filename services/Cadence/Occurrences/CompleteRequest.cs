namespace PipelineCoach.Cadence.Occurrences;

/// <summary>The body of <c>POST /api/v1/occurrences/{id}/complete</c>: optional notes of the meeting.</summary>
public sealed record CompleteRequest(string? Notes);
