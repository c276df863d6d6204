namespace PipelineCoach.ServiceDefaults;

/// <summary>What a service tells the shared wiring about itself.</summary>
/// <param name="Name">Short name used in telemetry, logs and queue names (e.g. <c>sync</c>).</param>
/// <param name="Title">Human title for Swagger.</param>
/// <param name="Scopes">The OAuth scopes this service's API understands, each becoming an authorization policy of the same name.</param>
public sealed record ServiceInfo(string Name, string Title, IReadOnlyList<string> Scopes)
{
    /// <summary>The assembly that holds the service's embedded <c>Migrations/*.sql</c> scripts.</summary>
    public required System.Reflection.Assembly Assembly { get; init; }

    /// <summary>The scope of the service's operator endpoints (the outbox's parked messages); one of <see cref="Scopes"/>.</summary>
    public required string AdminScope { get; init; }
}
