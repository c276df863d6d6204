namespace PipelineCoach.Cadence.Cadences;

/// <summary>The next occurrences of a recurring cadence, as <c>GET /api/v1/cadences/{id}/preview</c> returns them.</summary>
public sealed record CadencePreview(IReadOnlyList<PreviewOccurrence> Occurrences);
