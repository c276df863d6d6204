using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Notifications.Channels.Webhooks;
using PipelineCoach.ServiceDefaults.Webhooks;

namespace PipelineCoach.Notifications.Tests.Channels.Webhooks;

/// <summary>Real sends to a real HTTP listener on 127.0.0.1, through the guarded client the service registers.</summary>
public sealed class When_delivering_to_a_private_target
{
    private LocalReceiver _receiver = null!;

    [SetUp]
    public async Task StartReceiverAsync() => _receiver = await LocalReceiver.StartAsync();

    [TearDown]
    public async Task StopReceiverAsync() => await _receiver.DisposeAsync();

    [Test]
    public void Should_refuse_a_loopback_address_when_private_targets_are_not_allowed()
    {
        var url = _receiver.UrlOf("/hook");
        using var services = Services(allowPrivateTargets: false);

        var exception = Assert.ThrowsAsync<HttpRequestException>(() => SendAsync(services, url));

        Assert.Multiple(() =>
        {
            Assert.That(OutboundUrlPolicy.Validate(url, allowPrivateTargets: false), Does.Contain("refused"));
            Assert.That(exception!.InnerException, Is.TypeOf<OutboundTargetRefusedException>());
            Assert.That(_receiver.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task Should_deliver_a_verifiable_message_when_private_targets_are_allowed()
    {
        var secret = StandardWebhooks.NewSecret();
        using var services = Services(allowPrivateTargets: true);

        using var response = await SendAsync(services, _receiver.UrlOf("/hook"), secret);

        var received = _receiver.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(received.Id, Is.EqualTo("msg_guarded"));
            Assert.That(received.VerifyWith(secret, DateTimeOffset.UtcNow), Is.EqualTo(WebhookVerification.Valid));
        });
    }

    [Test]
    public void Should_refuse_a_host_name_that_resolves_to_loopback_at_connect_time()
    {
        using var services = Services(allowPrivateTargets: false);

        var exception = Assert.ThrowsAsync<HttpRequestException>(() => SendAsync(services, $"http://localhost:{_receiver.BaseAddress.Port}/hook"));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.InnerException, Is.TypeOf<OutboundTargetRefusedException>());
            Assert.That(_receiver.Requests, Is.Empty);
        });
    }

    [Test]
    public void Should_refuse_a_public_looking_name_that_rebinds_to_loopback()
    {
        // The name passes registration (it is not an address literal); at send time it resolves to 127.0.0.1.
        const string url = "http://rebind.example.com/hook";
        using var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = new GuardedConnector(false, (_, _) => Task.FromResult(new[] { IPAddress.Parse("93.184.215.14"), IPAddress.Loopback })).ConnectAsync,
            UseProxy = false,
        });

        var exception = Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(new Uri(url), new StringContent("{}")));

        Assert.Multiple(() =>
        {
            Assert.That(OutboundUrlPolicy.Validate(url, allowPrivateTargets: false), Is.Null);
            Assert.That(exception!.InnerException, Is.TypeOf<OutboundTargetRefusedException>()
                .With.Message.Contains("127.0.0.1"));
        });
    }

    private static ServiceProvider Services(bool allowPrivateTargets)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Notifications:Webhooks:AllowPrivateTargets"] = allowPrivateTargets ? "true" : "false" })
            .Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddWebhookChannel().BuildServiceProvider();
    }

    private static async Task<HttpResponseMessage> SendAsync(ServiceProvider services, string url, string? secret = null)
    {
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookChannelServiceExtensions.HttpClientName);
        var body = WebhookPayload.Serialize("opportunity-risk", DateTimeOffset.UtcNow, new { opportunityId = "006A" });
        using var request = SignedWebhookRequest.Create(new Uri(url), "msg_guarded", DateTimeOffset.UtcNow, body, new StandardWebhooks([secret ?? StandardWebhooks.NewSecret()]));
        return await client.SendAsync(request);
    }
}
