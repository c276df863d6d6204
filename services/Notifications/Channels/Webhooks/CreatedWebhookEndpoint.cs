namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>The answer to creating an endpoint: its view plus its signing secret, shown this once.</summary>
public sealed record CreatedWebhookEndpoint(
    Guid Id,
    string Url,
    IReadOnlyList<string> Signals,
    string? Description,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset? FailingSince,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string Secret)
{
    public static CreatedWebhookEndpoint From(WebhookEndpointView view, string secret) => new(view.Id, view.Url, view.Signals, view.Description,
        view.Enabled, view.DisabledReason, view.FailingSince, view.CreatedAt, view.UpdatedAt, secret);
}
