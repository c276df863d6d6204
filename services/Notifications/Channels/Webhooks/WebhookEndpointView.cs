namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>
/// A webhook endpoint as the API shows it. The URL of an internal tool's endpoint is not a credential (the secret
/// is), so it is shown; the secret is shown once, at creation or rotation, and never again.
/// </summary>
public sealed record WebhookEndpointView(
    Guid Id,
    string Url,
    IReadOnlyList<string> Signals,
    string? Description,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset? FailingSince,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
