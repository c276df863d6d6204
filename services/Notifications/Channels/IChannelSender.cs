using PipelineCoach.Notifications.Deliveries;

namespace PipelineCoach.Notifications.Channels;

/// <summary>
/// Sends one delivery attempt on one channel. Called with no transaction open; the dispatcher records the outcome.
/// A sender applies its own Polly pipeline (timeout, a few jittered retries within the attempt, a circuit breaker
/// per endpoint) and never throws for a failed send: it returns <see cref="SendOutcome.Failed"/>.
/// </summary>
public interface IChannelSender
{
    /// <summary>One of <see cref="ChannelNames"/>.</summary>
    string Channel { get; }

    Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken);
}

/// <summary>One attempt to send, as the dispatcher hands it to a channel.</summary>
public sealed record OutgoingMessage
{
    /// <summary>Stable across retries: the email Message-Id, the <c>webhook-id</c>, the Salesforce Task request id.</summary>
    public required Guid DeliveryId { get; init; }

    public required string BusinessKey { get; init; }

    public required string Channel { get; init; }

    /// <summary>The person (null for a chat destination or a webhook endpoint).</summary>
    public string? RecipientId { get; init; }

    public string? RecipientName { get; init; }

    /// <summary>The person's email address, as the directory has it now (email channel).</summary>
    public string? RecipientEmail { get; init; }

    /// <summary>The chat destination (slack, teams) or webhook endpoint (webhook).</summary>
    public Guid? TargetId { get; init; }

    /// <summary>1 for the first attempt.</summary>
    public required int Attempt { get; init; }

    public required Notice Notice { get; init; }
}

/// <summary>What became of an attempt.</summary>
public sealed record SendOutcome
{
    private SendOutcome(bool sent, string? error, bool permanent, TimeSpan? retryAfter)
    {
        IsSent = sent;
        Error = error;
        IsPermanent = permanent;
        RetryAfter = retryAfter;
    }

    public bool IsSent { get; }

    /// <summary>Why it failed, safe to show and log (never a secret or a full chat URL).</summary>
    public string? Error { get; }

    /// <summary>Retrying cannot help (no address, endpoint disabled, target refused): failed now, retry by API.</summary>
    public bool IsPermanent { get; }

    /// <summary>The receiver asked to wait (HTTP 429 <c>Retry-After</c>); the next attempt waits at least this long.</summary>
    public TimeSpan? RetryAfter { get; }

    public static SendOutcome Sent() => new(true, null, false, null);

    public static SendOutcome Failed(string error, TimeSpan? retryAfter = null) => new(false, error, false, retryAfter);

    public static SendOutcome Refused(string error) => new(false, error, true, null);
}
