using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Notifications.Channels.Webhooks;
using PipelineCoach.ServiceDefaults.Webhooks;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Channels.Webhooks;

/// <summary>A host as production runs it: loopback and private ranges are refused at registration and again at send time.</summary>
public sealed class When_private_webhook_targets_are_not_allowed
{
    private NotificationsHost _notifications = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _notifications = await NotificationsHost.StartAsync(new Dictionary<string, string?> { ["Notifications:Webhooks:AllowPrivateTargets"] = "false" });

    [OneTimeTearDown]
    public async Task StopAsync() => await _notifications.DisposeAsync();

    [TestCase("http://127.0.0.1:8080/hook")]
    [TestCase("http://10.0.0.1/hook")]
    [TestCase("http://192.168.1.20/hook")]
    [TestCase("http://[::1]/hook")]
    [TestCase("http://localhost/hook")]
    [TestCase("http://2130706433/hook")]
    [TestCase("http://169.254.169.254/latest/meta-data/")]
    public async Task Should_refuse_to_register_a_private_url(string url)
    {
        var before = await _notifications.EndpointsFootprintAsync();
        using var client = _notifications.Writer();
        var body = $$"""{ "url": "{{url}}", "signals": ["opportunity-risk"] }""";

        var response = await client.PostAsync("/api/v1/webhook-endpoints", JsonBody.Of(body));

        Assert.That(await ApiProblems.ErrorFieldsAsync(response), Is.EqualTo(new[] { "url" }));
        Assert.That(await _notifications.EndpointsFootprintAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Should_register_a_public_url()
    {
        var created = await _notifications.CreateEndpointAsync("https://hooks.example.com/pipeline");

        Assert.That(created["url"]!.GetValue<string>(), Is.EqualTo("https://hooks.example.com/pipeline"));
    }

    [Test]
    public async Task Should_refuse_a_send_to_an_endpoint_that_now_reaches_a_private_address()
    {
        // As if the name had passed registration and rebound to loopback since: the connect-time check refuses it.
        await using var receiver = await LocalReceiver.StartAsync();
        var id = Guid.CreateVersion7();
        var store = _notifications.Host.Services.GetRequiredService<WebhookEndpointStore>();
        await store.InsertAsync(id, receiver.Url, ["opportunity-risk"], null, StandardWebhooks.NewSecret(), _notifications.Clock.GetUtcNow(), CancellationToken.None);

        var outcome = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome is { IsSent: false, IsPermanent: true }, Is.True, outcome.ToString());
            Assert.That(outcome.Error, Does.Contain("refused").And.Contain("127.0.0.1"));
            Assert.That(receiver.Requests, Is.Empty);
        });
    }
}
