using System.Globalization;
using System.Text.Json;
using PipelineCoach.Notifications.Deliveries;
using PipelineCoach.ServiceDefaults.Webhooks;

namespace PipelineCoach.Notifications.Tests.Channels.Webhooks;

/// <summary>
/// The webhook sender against a local receiver that verifies Standard Webhooks signatures: signing and rotation,
/// the same id and bytes on every attempt, failures, Retry-After, the circuit breaker, and disable after sustained failure.
/// </summary>
public sealed class When_sending_signed_webhooks
{
    private NotificationsHost _notifications = null!;
    private LocalReceiver _receiver = null!;

    private DateTimeOffset Now => _notifications.Clock.GetUtcNow();

    [OneTimeSetUp]
    public async Task StartAsync() => _notifications = await NotificationsHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _notifications.DisposeAsync();

    [SetUp]
    public async Task StartReceiverAsync() => _receiver = await LocalReceiver.StartAsync();

    [TearDown]
    public async Task StopReceiverAsync() => await _receiver.DisposeAsync();

    [Test]
    public async Task Should_send_a_message_verifiable_with_the_created_secret()
    {
        var created = await _notifications.CreateEndpointAsync(_receiver.Url);
        var message = WebhookApi.Message(created["id"]!.GetValue<Guid>());

        var outcome = await _notifications.WebhookSender().SendAsync(message, CancellationToken.None);

        var received = _receiver.Requests.Single();
        using var body = JsonDocument.Parse(received.Body);
        var root = body.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(outcome.IsSent, Is.True, outcome.Error);
            Assert.That(received.VerifyWith(created["secret"]!.GetValue<string>(), Now), Is.EqualTo(WebhookVerification.Valid));
            Assert.That(received.VerifyWith(StandardWebhooks.NewSecret(), Now), Is.EqualTo(WebhookVerification.InvalidSignature));
            Assert.That(received.Id, Is.EqualTo($"msg_{message.DeliveryId:N}"));
            Assert.That(received.Timestamp, Is.EqualTo(Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
            Assert.That(received.ContentType, Is.EqualTo("application/json"));
            Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "type", "timestamp", "data" }));
            Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("opportunity-risk"));
            Assert.That(root.GetProperty("timestamp").GetDateTimeOffset(), Is.EqualTo(message.Notice.OccurredAt));
            Assert.That(root.GetProperty("data").GetProperty("title").GetString(), Is.EqualTo("Acme renewal is at risk: slipping"));
            Assert.That(root.GetProperty("data").GetProperty("opportunityId").GetString(), Is.EqualTo(SampleNotices.Risk.OpportunityId));
            Assert.That(root.GetProperty("data").GetProperty("sections")[0].GetProperty("lines")[0].GetProperty("text").GetString(),
                Is.EqualTo("Close date pushed out a third time, to 15 Jan 2027"));
        });
    }

    [Test]
    public async Task Should_sign_with_the_old_and_the_new_secret_until_the_overlap_ends()
    {
        var created = await _notifications.CreateEndpointAsync(_receiver.Url);
        var id = created["id"]!.GetValue<Guid>();
        var old = created["secret"]!.GetValue<string>();

        var rotated = await _notifications.ActOnEndpointAsync(id, "rotate-secret");
        var current = rotated["secret"]!.GetValue<string>();
        var during = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);
        var duringAt = Now;
        _notifications.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        var after = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);

        var received = _receiver.Requests;
        Assert.Multiple(() =>
        {
            Assert.That(during.IsSent && after.IsSent, Is.True, during.Error ?? after.Error);
            Assert.That(received, Has.Count.EqualTo(2));
            Assert.That(received[0].Signature.Split(' '), Has.Length.EqualTo(2));
            Assert.That(received[0].VerifyWith(old, duringAt), Is.EqualTo(WebhookVerification.Valid));
            Assert.That(received[0].VerifyWith(current, duringAt), Is.EqualTo(WebhookVerification.Valid));
            Assert.That(received[1].Signature.Split(' '), Has.Length.EqualTo(1));
            Assert.That(received[1].VerifyWith(current, Now), Is.EqualTo(WebhookVerification.Valid));
            Assert.That(received[1].VerifyWith(old, Now), Is.EqualTo(WebhookVerification.InvalidSignature));
        });
    }

    [Test]
    public async Task Should_keep_the_webhook_id_and_the_body_bytes_on_every_attempt()
    {
        var created = await _notifications.CreateEndpointAsync(_receiver.Url);
        var id = created["id"]!.GetValue<Guid>();
        var secret = created["secret"]!.GetValue<string>();
        var deliveryId = Guid.NewGuid();
        // A fractional amount and a time not in UTC: what a jsonb round trip could reshape.
        var notice = SampleNotices.Risk with { Amount = 125_000.50m, OccurredAt = new DateTimeOffset(2026, 11, 25, 10, 15, 0, TimeSpan.FromHours(2)) };

        _receiver.AnswerWith(503, "7");
        var first = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id, deliveryId, attempt: 1, notice), CancellationToken.None);
        var firstAt = Now;
        _notifications.Clock.Advance(TimeSpan.FromSeconds(7));
        _receiver.AnswerWith(200);

        // A retry after a restart sends the notice as the delivery stored it (jsonb), not the object the first attempt had.
        var stored = await _notifications.ScalarAsync<string>("SELECT @json::jsonb::text", new { json = JsonSerializer.Serialize(notice, JsonSerializerOptions.Web) });
        var reread = JsonSerializer.Deserialize<Notice>(stored, JsonSerializerOptions.Web)!;
        var second = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id, deliveryId, attempt: 2, reread), CancellationToken.None);

        var received = _receiver.Requests;
        Assert.Multiple(() =>
        {
            Assert.That(first.IsSent, Is.False);
            Assert.That(first.Error, Is.EqualTo("endpoint answered 503"));
            Assert.That(first.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(second.IsSent, Is.True, second.Error);
            Assert.That(received, Has.Count.EqualTo(2));
            Assert.That(received[1].Id, Is.EqualTo(received[0].Id).And.EqualTo($"msg_{deliveryId:N}"));
            Assert.That(received[1].Body, Is.EqualTo(received[0].Body));
            Assert.That(received[1].Timestamp, Is.Not.EqualTo(received[0].Timestamp), "each attempt is stamped when it is made");
            Assert.That(received[0].VerifyWith(secret, firstAt), Is.EqualTo(WebhookVerification.Valid));
            Assert.That(received[1].VerifyWith(secret, Now), Is.EqualTo(WebhookVerification.Valid));
        });
    }

    [Test]
    public async Task Should_fail_on_an_error_answer_and_clear_the_failure_on_success()
    {
        var id = (await _notifications.CreateEndpointAsync(_receiver.Url))["id"]!.GetValue<Guid>();

        _receiver.AnswerWith(500);
        var failed = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);
        var failingAt = Now;
        var whileFailing = await _notifications.GetEndpointAsync(id);
        _notifications.Clock.Advance(TimeSpan.FromMinutes(5));
        var failedAgain = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);
        var stillFailing = await _notifications.GetEndpointAsync(id);
        _receiver.AnswerWith(204);
        var sent = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);
        var recovered = await _notifications.GetEndpointAsync(id);

        Assert.Multiple(() =>
        {
            Assert.That(failed is { IsSent: false, IsPermanent: false, Error: "endpoint answered 500", RetryAfter: null }, Is.True, failed.ToString());
            Assert.That(whileFailing["failingSince"]!.GetValue<DateTimeOffset>(), Is.EqualTo(failingAt));
            Assert.That(failedAgain is { IsSent: false, IsPermanent: false }, Is.True, failedAgain.ToString());
            Assert.That(stillFailing["failingSince"]!.GetValue<DateTimeOffset>(), Is.EqualTo(failingAt), "a streak starts at its first failure");
            Assert.That(sent.IsSent, Is.True, sent.Error);
            Assert.That(recovered["failingSince"], Is.Null);
            Assert.That(recovered["enabled"]!.GetValue<bool>(), Is.True);
        });
    }

    [Test]
    public async Task Should_disable_an_endpoint_failing_longer_than_five_days_until_it_is_enabled_again()
    {
        var id = (await _notifications.CreateEndpointAsync(_receiver.Url))["id"]!.GetValue<Guid>();
        _receiver.AnswerWith(500);
        await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);
        var failingSince = Now;

        _notifications.Clock.Advance(TimeSpan.FromDays(5));
        var atFiveDays = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);
        _notifications.Clock.Advance(TimeSpan.FromMinutes(1));
        var pastFiveDays = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);
        var disabled = await _notifications.GetEndpointAsync(id);
        _receiver.AnswerWith(204);
        var whileDisabled = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);
        var attemptsWhileDisabled = _receiver.Requests.Count;
        var enabled = await _notifications.ActOnEndpointAsync(id, "enable");
        var afterEnable = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);

        var reason = $"failing since {failingSince.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} (5 days)";
        Assert.Multiple(() =>
        {
            Assert.That(atFiveDays is { IsSent: false, IsPermanent: false }, Is.True, atFiveDays.ToString());
            Assert.That(pastFiveDays is { IsSent: false, IsPermanent: true }, Is.True, pastFiveDays.ToString());
            Assert.That(pastFiveDays.Error, Is.EqualTo($"endpoint disabled: {reason}"));
            Assert.That(disabled["enabled"]!.GetValue<bool>(), Is.False);
            Assert.That(disabled["disabledReason"]!.GetValue<string>(), Is.EqualTo(reason));
            Assert.That(whileDisabled is { IsSent: false, IsPermanent: true }, Is.True, whileDisabled.ToString());
            Assert.That(whileDisabled.Error, Is.EqualTo($"endpoint disabled: {reason}"));
            Assert.That(attemptsWhileDisabled, Is.EqualTo(3), "a disabled endpoint is not called");
            Assert.That(enabled["enabled"]!.GetValue<bool>(), Is.True);
            Assert.That(enabled["disabledReason"], Is.Null);
            Assert.That(enabled["failingSince"], Is.Null);
            Assert.That(afterEnable.IsSent, Is.True, afterEnable.Error);
            Assert.That(_receiver.Requests, Has.Count.EqualTo(4));
        });
    }

    [Test]
    public async Task Should_honour_retry_after_on_429_and_503_only()
    {
        var id = (await _notifications.CreateEndpointAsync(_receiver.Url))["id"]!.GetValue<Guid>();

        _receiver.AnswerWith(429, "120");
        var tooMany = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);
        _receiver.AnswerWith(503, Now.AddMinutes(10).ToString("R", CultureInfo.InvariantCulture));
        var unavailable = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);
        _receiver.AnswerWith(500, "120");
        var serverError = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(tooMany is { IsPermanent: false, Error: "endpoint answered 429" }, Is.True, tooMany.ToString());
            Assert.That(tooMany.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(120)));
            Assert.That(unavailable.RetryAfter, Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(serverError is { IsPermanent: false, Error: "endpoint answered 500", RetryAfter: null }, Is.True, serverError.ToString());
        });
    }

    [Test]
    public async Task Should_count_a_redirect_as_a_failure_without_following_it()
    {
        var id = (await _notifications.CreateEndpointAsync(_receiver.Url))["id"]!.GetValue<Guid>();
        _receiver.AnswerWith(302);

        var outcome = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(outcome is { IsSent: false, IsPermanent: false, Error: "endpoint answered 302" }, Is.True, outcome.ToString());
            Assert.That(_receiver.Requests, Has.Count.EqualTo(1));
            Assert.That((await _notifications.GetEndpointAsync(id))["failingSince"], Is.Not.Null);
        });
    }

    [Test]
    public async Task Should_fail_when_the_endpoint_cannot_be_reached()
    {
        var id = (await _notifications.CreateEndpointAsync(_receiver.Url))["id"]!.GetValue<Guid>();
        await _receiver.DisposeAsync();

        var outcome = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(outcome is { IsSent: false, IsPermanent: false }, Is.True, outcome.ToString());
            Assert.That(outcome.Error, Does.StartWith("endpoint could not be reached"));
            Assert.That((await _notifications.GetEndpointAsync(id))["failingSince"], Is.Not.Null);
        });
    }

    [Test]
    public async Task Should_stop_calling_an_endpoint_whose_circuit_opened()
    {
        var id = (await _notifications.CreateEndpointAsync(_receiver.Url))["id"]!.GetValue<Guid>();
        var other = (await _notifications.CreateEndpointAsync(_receiver.Url))["id"]!.GetValue<Guid>();
        _receiver.AnswerWith(500);
        for (var i = 0; i < 10; i++)
        {
            await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);
        }

        var broken = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);
        var callsToBroken = _receiver.Requests.Count;
        _receiver.AnswerWith(204);
        var toOther = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(other), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(broken is { IsSent: false, IsPermanent: false }, Is.True, broken.ToString());
            Assert.That(broken.Error, Does.Contain("circuit is open"));
            Assert.That(broken.RetryAfter, Is.Not.Null.And.GreaterThan(TimeSpan.Zero));
            Assert.That(callsToBroken, Is.EqualTo(10));
            Assert.That(toOther.IsSent, Is.True, "each endpoint has its own circuit");
        });
    }

    [Test]
    public async Task Should_refuse_an_unknown_endpoint()
    {
        var outcome = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(Guid.NewGuid()), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome is { IsSent: false, IsPermanent: true }, Is.True, outcome.ToString());
            Assert.That(outcome.Error, Does.Contain("does not exist"));
            Assert.That(_receiver.Requests, Is.Empty);
        });
    }
}
