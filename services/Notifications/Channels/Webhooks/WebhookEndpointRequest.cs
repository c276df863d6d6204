namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>The body of creating (<c>POST</c>) or replacing (<c>PUT</c>) a webhook endpoint.</summary>
public sealed record WebhookEndpointRequest(string? Url, IReadOnlyList<string>? Signals, string? Description);
