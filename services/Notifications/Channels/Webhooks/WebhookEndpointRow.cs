namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>A stored webhook endpoint as the API shows it (no secrets).</summary>
internal sealed class WebhookEndpointRow
{
    public Guid Id { get; init; }

    public string Url { get; init; } = "";

    public string? Description { get; init; }

    public string[] Signals { get; init; } = [];

    public bool IsEnabled { get; init; }

    public string? DisabledReason { get; init; }

    public DateTime? FailingSince { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public WebhookEndpointView ToView() => new(Id, Url, Signals, Description, IsEnabled, DisabledReason,
        FailingSince is { } failingSince ? Utc(failingSince) : null, Utc(CreatedAt), Utc(UpdatedAt));

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
