namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>A chat destination as the API returns it: the URL only as <c>scheme://host/…</c>, never in full.</summary>
public sealed record ChatDestinationView(
    Guid Id,
    string Type,
    string Name,
    string? ManagerId,
    IReadOnlyList<string> Signals,
    string Url,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
