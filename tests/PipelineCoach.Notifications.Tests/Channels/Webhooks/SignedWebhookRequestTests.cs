using System.Text;
using System.Text.Json;
using PipelineCoach.Notifications.Channels.Webhooks;
using PipelineCoach.ServiceDefaults.Webhooks;

namespace PipelineCoach.Notifications.Tests.Channels.Webhooks;

public sealed class When_signing_an_outgoing_webhook
{
    // The reference vector published with the Standard Webhooks specification's libraries.
    private const string ReferenceSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string ReferenceSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly DateTimeOffset ReferenceTime = DateTimeOffset.FromUnixTimeSeconds(1614265330);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    [Test]
    public async Task Should_match_the_standard_webhooks_reference_vector()
    {
        using var request = SignedWebhookRequest.Create(new Uri("https://hooks.example.com/"), "msg_p5jXN8AQM9LWM0D4loKWxJek", ReferenceTime,
            Encoding.UTF8.GetBytes("{\"test\": 2432232314}"), new StandardWebhooks([ReferenceSecret]));

        var content = await request.Content!.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(request.Headers.GetValues(StandardWebhooks.IdHeader), Is.EqualTo(new[] { "msg_p5jXN8AQM9LWM0D4loKWxJek" }));
            Assert.That(request.Headers.GetValues(StandardWebhooks.TimestampHeader), Is.EqualTo(new[] { "1614265330" }));
            Assert.That(request.Headers.GetValues(StandardWebhooks.SignatureHeader), Is.EqualTo(new[] { ReferenceSignature }));
            Assert.That(request.Content!.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
            Assert.That(content, Is.EqualTo("{\"test\": 2432232314}"));
        });
    }

    [Test]
    public void Should_sign_with_both_secrets_during_a_rotation_so_either_verifies()
    {
        var old = StandardWebhooks.NewSecret();
        var current = StandardWebhooks.NewSecret();
        var body = WebhookPayload.Serialize("opportunity-risk", ReferenceTime, new { opportunityId = "006A" });
        using var request = SignedWebhookRequest.Create(new Uri("https://hooks.example.com/"), "msg_1", ReferenceTime, body, new StandardWebhooks([old, current]));
        var signature = request.Headers.GetValues(StandardWebhooks.SignatureHeader).Single();

        Assert.Multiple(() =>
        {
            Assert.That(signature.Split(' '), Has.Length.EqualTo(2).And.All.StartsWith("v1,"));
            Assert.That(new StandardWebhooks([old]).Verify("msg_1", "1614265330", signature, body, ReferenceTime, Tolerance), Is.EqualTo(WebhookVerification.Valid));
            Assert.That(new StandardWebhooks([current]).Verify("msg_1", "1614265330", signature, body, ReferenceTime, Tolerance), Is.EqualTo(WebhookVerification.Valid));
            Assert.That(new StandardWebhooks([StandardWebhooks.NewSecret()]).Verify("msg_1", "1614265330", signature, body, ReferenceTime, Tolerance),
                Is.EqualTo(WebhookVerification.InvalidSignature));
        });
    }

    [Test]
    public void Should_send_type_timestamp_and_data()
    {
        using var json = JsonDocument.Parse(WebhookPayload.Serialize("cadence-due", ReferenceTime, new { occurrenceId = 7 }));
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "type", "timestamp", "data" }));
            Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("cadence-due"));
            Assert.That(root.GetProperty("timestamp").GetDateTimeOffset(), Is.EqualTo(ReferenceTime));
            Assert.That(root.GetProperty("data").GetProperty("occurrenceId").GetInt32(), Is.EqualTo(7));
        });
    }
}
