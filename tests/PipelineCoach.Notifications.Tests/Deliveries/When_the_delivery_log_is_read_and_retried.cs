using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Notifications.Deliveries;
using PipelineCoach.Notifications.Tests.Channels.Webhooks;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Deliveries;

/// <summary>GET /api/v1/deliveries with its filters and cursor, POST …/{id}/retry, POST /api/v1/channels/test, and a stalled queue.</summary>
public sealed class When_the_delivery_log_is_read_and_retried
{
    private NotificationsHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await NotificationsHost.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task Should_filter_by_recipient_status_signal_and_opportunity_and_page_with_the_cursor()
    {
        var owner = await _host.UserAsync("Rita Rep");
        var deals = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var deal = await _host.OpportunityAsync($"Deal {i}", 1_000m * (i + 1), owner);
            deals.Add(deal);
            await _host.PublishAsync(NotificationsHost.Scored(deal, owner, ["stalled"], previousFlags: []));
        }

        await _host.DeliveriesAsync($"recipientId={owner}&status=sent&signal=opportunity-risk", d => d.Count == 3, "three sent risks");
        using var reader = _host.Reader();
        var first = await reader.GetFromJsonAsync<JsonObject>($"/api/v1/deliveries?recipientId={owner}&limit=2");
        var cursor = first!["nextCursor"]!.GetValue<string>();
        var second = await reader.GetFromJsonAsync<JsonObject>($"/api/v1/deliveries?recipientId={owner}&limit=2&cursor={cursor}");
        var ids = first["items"]!.AsArray().Concat(second!["items"]!.AsArray()).Select(i => i!["opportunityId"]!.GetValue<string>()).ToList();
        Assert.That(ids, Is.EqualTo(Enumerable.Reverse(deals).ToList()), "newest first, no overlap");
        Assert.That(second["nextCursor"], Is.Null);
        Assert.That(await _host.DeliveriesAsync($"opportunityId={deals[1]}"), Has.Count.EqualTo(1));
        Assert.That(await _host.DeliveriesAsync($"recipientId={owner}&status=failed"), Is.Empty);

        var item = first["items"]![0]!.AsObject();
        Assert.That(item.Select(p => p.Key), Is.SupersetOf(new[]
            { "id", "businessKey", "signal", "channel", "recipientId", "opportunityId", "status", "attempts", "lastError", "createdAt", "sentAt", "resolution" }));
    }

    [Test]
    public async Task Should_retry_a_failed_delivery_only()
    {
        await using var receiver = await LocalReceiver.StartAsync();
        await _host.CreateEndpointAsync(receiver.Url, "opportunity-risk");
        using var writer = _host.Writer();
        var owner = await _host.UserAsync("Rita Rep");
        var deal = await _host.OpportunityAsync("Retry me", 10_000m, owner);
        receiver.AnswerWith(410);
        await _host.PublishAsync(NotificationsHost.Scored(deal, owner, ["stalled"], previousFlags: []));

        // Eight attempts over the Svix ladder, then failed.
        var ladder = new[] { 5, 300, 1_800, 7_200, 18_000, 36_000, 36_000 };
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            var expected = attempt;
            await _host.DeliveriesAsync($"opportunityId={deal}", d => d.Any(x => x.Channel == "webhook" && x.Attempts == expected), $"attempt {attempt} recorded");
            if (attempt < 8)
            {
                _host.Advance(TimeSpan.FromSeconds(ladder[attempt - 1]));
            }
        }

        var failed = (await _host.DeliveriesAsync($"opportunityId={deal}")).Single(d => d.Channel == "webhook");
        Assert.That((failed.Status, failed.Attempts, receiver.Requests.Count), Is.EqualTo(("failed", 8, 8)));
        var sentEmail = (await _host.DeliveriesAsync($"opportunityId={deal}", d => d.Any(x => x.Channel == "email" && x.Status == "sent"), "the email")).Single(d => d.Channel == "email");

        receiver.AnswerWith(204);
        var retried = await writer.PostAsync($"/api/v1/deliveries/{failed.Id}/retry", null);
        Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await retried.Content.ReadAsStringAsync());
        await _host.DeliveriesAsync($"opportunityId={deal}", d => d.Any(x => x.Channel == "webhook" && x.Status == "sent" && x.Attempts == 1), "the retry to succeed, its ladder started again");

        var again = await writer.PostAsync($"/api/v1/deliveries/{sentEmail.Id}/retry", null);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(again.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await writer.PostAsync($"/api/v1/deliveries/{Guid.NewGuid()}/retry", null)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("recipientId=005", "recipientId")]
    [TestCase("opportunityId=nope", "opportunityId")]
    [TestCase("status=lost", "status")]
    [TestCase("signal=gossip", "signal")]
    [TestCase("limit=0", "limit")]
    [TestCase("limit=201", "limit")]
    [TestCase("limit=ten", "limit")]
    [TestCase("cursor=not-a-cursor", "cursor")]
    public async Task Should_refuse_a_bad_filter_naming_it(string query, string field)
    {
        using var reader = _host.Reader();
        var response = await reader.GetAsync($"/api/v1/deliveries?{query}");
        Assert.That(await ApiProblems.ErrorFieldsAsync(response), Is.EqualTo(new[] { field }));
    }

    [Test]
    public async Task Should_send_a_test_email_now()
    {
        using var writer = _host.Writer();
        var to = $"admin.{Guid.NewGuid():N}@example.test";

        var response = await writer.PostAsJsonAsync("/api/v1/channels/test", new { channel = "email", to });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var mail = await _host.MailToAsync(to, 1);
        Assert.That(mail[0].Subject, Is.EqualTo("Pipeline Coach test message"));
    }

    [Test]
    public async Task Should_send_a_test_webhook_now_and_say_when_it_was_not_delivered()
    {
        await using var receiver = await LocalReceiver.StartAsync();
        var created = await _host.CreateEndpointAsync(receiver.Url, "escalation");
        var endpointId = created["id"]!.GetValue<Guid>();
        using var writer = _host.Writer();

        var sent = await writer.PostAsJsonAsync("/api/v1/channels/test", new { channel = "webhook", endpointId });
        Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(receiver.Requests, Has.Count.EqualTo(1));
        Assert.That(receiver.Requests[0].VerifyWith(created["secret"]!.GetValue<string>(), _host.Clock.GetUtcNow()), Is.EqualTo(ServiceDefaults.Webhooks.WebhookVerification.Valid));

        receiver.AnswerWith(500);
        var failed = await writer.PostAsJsonAsync("/api/v1/channels/test", new { channel = "webhook", endpointId });
        Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That((await failed.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.Contain("500"));
    }

    [TestCase("""{ "channel": "pigeon", "to": "a@example.test" }""", "channel")]
    [TestCase("""{ "to": "a@example.test" }""", "channel")]
    [TestCase("""{ "channel": "email" }""", "to")]
    [TestCase("""{ "channel": "email", "to": "not an address" }""", "to")]
    [TestCase("""{ "channel": "email", "to": "Ann <a@example.test>" }""", "to")]
    [TestCase("""{ "channel": "slack" }""", "destinationId")]
    [TestCase("""{ "channel": "teams", "destinationId": "nope" }""", "destinationId")]
    [TestCase("""{ "channel": "webhook" }""", "endpointId")]
    [TestCase("""{ "channel": "email", "to": """, "to")]
    public async Task Should_refuse_a_bad_channel_test_naming_the_field(string body, string field)
    {
        using var writer = _host.Writer();
        var response = await writer.PostAsync("/api/v1/channels/test", JsonBody.Of(body));
        Assert.That(await ApiProblems.ErrorFieldsAsync(response), Is.EqualTo(new[] { field }));
    }

    [Test]
    public async Task Should_answer_404_for_a_test_to_an_unknown_destination_or_endpoint_and_413_for_a_huge_body()
    {
        using var writer = _host.Writer();
        Assert.That((await writer.PostAsJsonAsync("/api/v1/channels/test", new { channel = "slack", destinationId = Guid.NewGuid() })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await writer.PostAsJsonAsync("/api/v1/channels/test", new { channel = "webhook", endpointId = Guid.NewGuid() })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var huge = JsonBody.Of($$"""{ "channel": "email", "to": "{{new string('a', 70_000)}}@example.test" }""");
        Assert.That((await writer.PostAsync("/api/v1/channels/test", huge)).StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task Should_report_degraded_readiness_while_due_deliveries_wait()
    {
        var dispatcher = _host.Host.Services.GetRequiredService<DeliveryDispatcher>();
        await dispatcher.MeasureBacklogAsync(CancellationToken.None, now: true);
        using var client = _host.Host.CreateClient();
        Assert.That(await client.GetStringAsync("/health/ready"), Does.Contain("\"status\":\"Healthy\""));

        // A delivery held by an instance that died with its lease: due for ten minutes, nobody can take it yet.
        await _host.ExecuteAsync(
            """
            INSERT INTO deliveries (id, business_key, signal, channel, recipient_id, status, next_attempt_at, lease_until, claimed_by, notice, resolution, created_at)
            VALUES (@id, 'opportunity-risk:x:2026-11-25', 'opportunity-risk', 'email', '005000000000001AAA', 'queued', @due, @lease, 'dead', '{}', '{}', @due)
            """, new { id = Guid.NewGuid(), due = TestClock.Now.AddMinutes(-10).UtcDateTime, lease = TestClock.Now.AddMinutes(1).UtcDateTime });
        await dispatcher.MeasureBacklogAsync(CancellationToken.None, now: true);

        var ready = await client.GetAsync("/health/ready");
        var text = await ready.Content.ReadAsStringAsync();
        Assert.That(text, Does.Contain("\"status\":\"Degraded\"").And.Contain("1 deliveries due; the oldest has waited"));
    }
}
