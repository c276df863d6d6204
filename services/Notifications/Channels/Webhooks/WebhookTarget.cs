namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>What a send needs of an endpoint: where, whether, and the secrets that sign now (two during a rotation).</summary>
internal sealed record WebhookTarget(string Url, bool IsEnabled, string? DisabledReason, IReadOnlyList<string> Secrets, DateTimeOffset? FailingSince);
