using System.Net.Http.Json;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Chat;

/// <summary>Where private targets are not allowed (production), loopback, private ranges and plain http are refused too.</summary>
public sealed class When_chat_destinations_must_be_public
{
    private NotificationsHost _notifications = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _notifications = await NotificationsHost.StartAsync(
        new Dictionary<string, string?> { ["Notifications:Webhooks:AllowPrivateTargets"] = "false" });

    [OneTimeTearDown]
    public async Task StopAsync() => await _notifications.DisposeAsync();

    [TestCase("https://10.0.0.5/services/T/B/X")]
    [TestCase("https://192.168.1.20/services/T/B/X")]
    [TestCase("https://127.0.0.1/services/T/B/X")]
    [TestCase("https://0x7f000001/services/T/B/X")]
    [TestCase("https://localhost/services/T/B/X")]
    [TestCase("http://hooks.slack.example/services/T/B/X")]
    public async Task Should_refuse_the_url_naming_it(string url)
    {
        var before = await _notifications.DestinationsFootprintAsync();
        using var client = _notifications.Writer();

        var response = await client.PostAsJsonAsync(ChatApi.Route, new { type = "slack", url, name = "n", signals = new[] { "escalation" } });

        Assert.That(await ApiProblems.ErrorFieldsAsync(response), Is.EqualTo(new[] { "url" }));
        Assert.That(await _notifications.DestinationsFootprintAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Should_accept_a_public_https_url()
    {
        // Registration does not connect, so an example host serves.
        var created = await _notifications.CreateDestinationAsync("slack", "https://hooks.slack.example/services/T000/B000/XXXX");

        Assert.That(created["url"]!.GetValue<string>(), Is.EqualTo("https://hooks.slack.example/…"));
    }
}
