namespace PipelineCoach.Notifications.Tests.Channels.Webhooks;

/// <summary>An attempt has a deadline (a short one here): a receiver that takes the request and never answers fails it.</summary>
public sealed class When_a_webhook_endpoint_does_not_answer
{
    private NotificationsHost _notifications = null!;

    [OneTimeSetUp]
    public async Task StartAsync() =>
        _notifications = await NotificationsHost.StartAsync(new Dictionary<string, string?> { ["Notifications:Webhooks:AttemptTimeout"] = "00:00:01" });

    [OneTimeTearDown]
    public async Task StopAsync() => await _notifications.DisposeAsync();

    [Test]
    public async Task Should_fail_the_attempt_when_the_timeout_passes()
    {
        await using var receiver = await LocalReceiver.StartAsync();
        receiver.NeverAnswer();
        var id = (await _notifications.CreateEndpointAsync(receiver.Url))["id"]!.GetValue<Guid>();

        var outcome = await _notifications.WebhookSender().SendAsync(WebhookApi.Message(id), CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(outcome is { IsSent: false, IsPermanent: false, Error: "endpoint did not answer within 1 s" }, Is.True, outcome.ToString());
            Assert.That(receiver.Requests, Has.Count.EqualTo(1));
            Assert.That((await _notifications.GetEndpointAsync(id))["failingSince"], Is.Not.Null);
        });
    }
}
