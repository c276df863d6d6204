namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>
/// Thrown from the connect step when a target host resolves to a refused address. HttpClient surfaces it as the
/// inner exception of an <see cref="HttpRequestException"/>; it is permanent for the URL as it resolves now.
/// </summary>
public sealed class OutboundTargetRefusedException(string host, string reason)
    : Exception($"Outbound connection to '{host}' refused: {reason}.")
{
    public string Host { get; } = host;
}
