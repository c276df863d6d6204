namespace PipelineCoach.ServiceDefaults.Http;

/// <summary>One page of an API list, <c>{ "items", "nextCursor" }</c>, with the cursor of the next page (null on the last).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
