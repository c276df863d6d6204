using System.Net.Http.Headers;
using PipelineCoach.ServiceDefaults.Webhooks;

namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>Builds one delivery attempt of a Standard Webhooks message.</summary>
internal static class SignedWebhookRequest
{
    /// <param name="signer">The endpoint's live secrets; during a rotation both, so each one signs.</param>
    /// <param name="attemptAt">The attempt's time: <c>webhook-timestamp</c> is per attempt (receivers refuse old ones),
    /// the body's <c>timestamp</c> is the event's.</param>
    public static HttpRequestMessage Create(Uri url, string webhookId, DateTimeOffset attemptAt, byte[] body, StandardWebhooks signer)
    {
        var seconds = attemptAt.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(StandardWebhooks.IdHeader, webhookId);
        request.Headers.Add(StandardWebhooks.TimestampHeader, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(StandardWebhooks.SignatureHeader, signer.Sign(webhookId, seconds, body));
        return request;
    }
}
