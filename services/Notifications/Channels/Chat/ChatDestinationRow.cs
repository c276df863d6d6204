namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>A stored chat destination without its URL ciphertext.</summary>
internal sealed class ChatDestinationRow
{
    public Guid Id { get; init; }

    public string Type { get; init; } = "";

    public string UrlDisplay { get; init; } = "";

    public string Name { get; init; } = "";

    public string? ManagerId { get; init; }

    public string[] Signals { get; init; } = [];

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public ChatDestinationView ToView() => new(Id, Type, Name, ManagerId, Signals, UrlDisplay,
        new DateTimeOffset(DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc)), new DateTimeOffset(DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc)));
}
