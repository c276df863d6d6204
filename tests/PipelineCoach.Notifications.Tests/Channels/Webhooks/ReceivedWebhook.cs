using PipelineCoach.ServiceDefaults.Webhooks;

namespace PipelineCoach.Notifications.Tests.Channels.Webhooks;

/// <summary>One request as the receiver got it: the Standard Webhooks headers and the raw body.</summary>
internal sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string? ContentType, byte[] Body)
{
    /// <summary>Checks the signature as a receiver holding only <paramref name="secret"/> would, at <paramref name="now"/>.</summary>
    public WebhookVerification VerifyWith(string secret, DateTimeOffset now) =>
        new StandardWebhooks([secret]).Verify(Id, Timestamp, Signature, Body, now, TimeSpan.FromMinutes(5));
}
