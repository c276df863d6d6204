using System.Text.Json.Serialization;

namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>The answer to creating an endpoint: its view plus its signing secret, shown this once.</summary>
public sealed record CreatedWebhookEndpoint : WebhookEndpointView
{
    public CreatedWebhookEndpoint(WebhookEndpointView view, string secret)
        : base(view) => Secret = secret;

    /// <summary>Last in the JSON, after the endpoint's own fields.</summary>
    [JsonPropertyOrder(1)]
    public string Secret { get; }
}
