namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>
/// The answer to <c>POST …/{id}/rotate-secret</c>: the new secret (shown this once), and until when the previous
/// one keeps signing beside it.
/// </summary>
public sealed record RotatedWebhookSecret(string Secret, DateTimeOffset PreviousSecretExpiresAt);
