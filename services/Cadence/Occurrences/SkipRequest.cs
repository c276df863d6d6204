namespace PipelineCoach.Cadence.Occurrences;

/// <summary>The body of <c>POST /api/v1/occurrences/{id}/skip</c>: why it did not take place (required).</summary>
public sealed record SkipRequest(string? Reason);
