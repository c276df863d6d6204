using System.Text;
using PipelineCoach.ServiceDefaults.Webhooks;

namespace PipelineCoach.Notifications.Tests;

/// <summary>One request as a <see cref="LocalReceiver"/> got it: its path, headers and raw body.</summary>
internal sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, string? ContentType, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The Standard Webhooks <c>webhook-id</c> header ("" when absent).</summary>
    public string Id => Header(StandardWebhooks.IdHeader);

    public string Timestamp => Header(StandardWebhooks.TimestampHeader);

    public string Signature => Header(StandardWebhooks.SignatureHeader);

    /// <summary>Checks the signature as a receiver holding only <paramref name="secret"/> would, at <paramref name="now"/>.</summary>
    public WebhookVerification VerifyWith(string secret, DateTimeOffset now) =>
        new StandardWebhooks([secret]).Verify(Id, Timestamp, Signature, Body, now, TimeSpan.FromMinutes(5));

    private string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}
