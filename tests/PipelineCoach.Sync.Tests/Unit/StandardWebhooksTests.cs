using System.Text;
using PipelineCoach.ServiceDefaults.Webhooks;

namespace PipelineCoach.Sync.Tests.Unit;

public sealed class When_verifying_standard_webhooks
{
    // The reference vector published with the Standard Webhooks specification's libraries.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string Timestamp = "1614265330";
    private const string Signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"test\": 2432232314}");
    private static readonly DateTimeOffset SentAt = DateTimeOffset.FromUnixTimeSeconds(1614265330);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    [Test]
    public void Should_accept_the_reference_vector() =>
        Assert.That(new StandardWebhooks([Secret]).Verify(Id, Timestamp, Signature, Body, SentAt.AddSeconds(10), Tolerance),
            Is.EqualTo(WebhookVerification.Valid));

    [Test]
    public void Should_sign_like_the_reference() =>
        Assert.That(new StandardWebhooks([Secret]).Sign(Id, 1614265330, Body), Is.EqualTo(Signature));

    [Test]
    public void Should_accept_any_listed_signature_and_any_configured_secret()
    {
        var rotated = new StandardWebhooks([StandardWebhooks.NewSecret(), Secret]);
        Assert.That(rotated.Verify(Id, Timestamp, "v1,bm90IGl0 " + Signature, Body, SentAt, Tolerance), Is.EqualTo(WebhookVerification.Valid));
    }

    [Test]
    public void Should_reject_a_tampered_body() =>
        Assert.That(new StandardWebhooks([Secret]).Verify(Id, Timestamp, Signature, Encoding.UTF8.GetBytes("{\"test\": 1}"), SentAt, Tolerance),
            Is.EqualTo(WebhookVerification.InvalidSignature));

    [Test]
    public void Should_reject_another_secret() =>
        Assert.That(new StandardWebhooks([StandardWebhooks.NewSecret()]).Verify(Id, Timestamp, Signature, Body, SentAt, Tolerance),
            Is.EqualTo(WebhookVerification.InvalidSignature));

    [TestCase(-301)]
    [TestCase(301)]
    public void Should_reject_timestamps_outside_the_window(int offsetSeconds) =>
        Assert.That(new StandardWebhooks([Secret]).Verify(Id, Timestamp, Signature, Body, SentAt.AddSeconds(offsetSeconds), Tolerance),
            Is.EqualTo(WebhookVerification.TimestampOutsideTolerance));

    [Test]
    public void Should_report_missing_headers_and_bad_timestamps()
    {
        var webhooks = new StandardWebhooks([Secret]);
        Assert.Multiple(() =>
        {
            Assert.That(webhooks.Verify(null, Timestamp, Signature, Body, SentAt, Tolerance), Is.EqualTo(WebhookVerification.MissingHeaders));
            Assert.That(webhooks.Verify(Id, "yesterday", Signature, Body, SentAt, Tolerance), Is.EqualTo(WebhookVerification.MalformedTimestamp));
        });
    }

    [TestCase("whsec_")]
    [TestCase("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [TestCase("whsec_not base64!")]
    public void Should_refuse_malformed_secrets(string secret) =>
        Assert.That(StandardWebhooks.IsValidSecret(secret), Is.False);
}
