namespace PipelineCoach.Cadence.Cadences;

/// <summary>One page of an API list, with the cursor of the next page (null on the last).</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
