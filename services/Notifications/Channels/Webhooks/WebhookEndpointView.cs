namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>
/// A webhook endpoint as the API shows it. The URL of an internal tool's endpoint is not a credential (the secret
/// is), so it is shown; the secret is shown once, at creation or rotation, and never again. Not sealed: the answer
/// to a creation is this view with the secret (<see cref="CreatedWebhookEndpoint"/>).
/// </summary>
public record WebhookEndpointView(
    Guid Id,
    string Url,
    IReadOnlyList<string> Signals,
    string? Description,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset? FailingSince,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
