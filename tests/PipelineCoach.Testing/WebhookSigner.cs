using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using PipelineCoach.ServiceDefaults.Webhooks;

namespace PipelineCoach.Testing;

/// <summary>Builds Standard Webhooks requests as a sender would.</summary>
public sealed class WebhookSigner(string secret)
{
    private readonly StandardWebhooks _webhooks = new([secret]);

    public string Secret => secret;

    public HttpRequestMessage Request(string path, string json, string? webhookId = null, DateTimeOffset? timestamp = null)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var id = webhookId ?? $"msg_{Guid.NewGuid():N}";
        var seconds = (timestamp ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(StandardWebhooks.IdHeader, id);
        request.Headers.Add(StandardWebhooks.TimestampHeader, seconds.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(StandardWebhooks.SignatureHeader, _webhooks.Sign(id, seconds, body));
        return request;
    }
}
