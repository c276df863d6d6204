using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Notifications.Channels.Webhooks;
using PipelineCoach.ServiceDefaults.Webhooks;

namespace PipelineCoach.Notifications.Tests.Channels.Webhooks;

/// <summary>Real sends to a real HTTP listener on 127.0.0.1, through the guarded client the service registers.</summary>
public sealed class When_delivering_to_a_private_target
{
    private HttpListener _listener = null!;
    private readonly ConcurrentQueue<(string? Id, string? Timestamp, string? Signature, byte[] Body)> _received = new();
    private int _port;

    [SetUp]
    public void StartReceiver()
    {
        // NUnit reuses the fixture instance across its tests.
        _received.Clear();
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener = new HttpListener();
        _listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _listener.Prefixes.Add($"http://localhost:{_port}/");
        _listener.Start();
        _ = Task.Run(ReceiveAsync);
    }

    [TearDown]
    public void StopReceiver() => _listener.Close();

    [Test]
    public void Should_refuse_a_loopback_address_when_private_targets_are_not_allowed()
    {
        var url = $"http://127.0.0.1:{_port}/hook";
        using var services = Services(allowPrivateTargets: false);

        var exception = Assert.ThrowsAsync<HttpRequestException>(() => SendAsync(services, url));

        Assert.Multiple(() =>
        {
            Assert.That(OutboundUrlPolicy.Validate(url, allowPrivateTargets: false), Does.Contain("refused"));
            Assert.That(exception!.InnerException, Is.TypeOf<OutboundTargetRefusedException>());
            Assert.That(_received, Is.Empty);
        });
    }

    [Test]
    public async Task Should_deliver_a_verifiable_message_when_private_targets_are_allowed()
    {
        var secret = StandardWebhooks.NewSecret();
        using var services = Services(allowPrivateTargets: true);

        using var response = await SendAsync(services, $"http://127.0.0.1:{_port}/hook", secret);

        var (id, timestamp, signature, body) = _received.Single();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(id, Is.EqualTo("msg_guarded"));
            Assert.That(new StandardWebhooks([secret]).Verify(id, timestamp, signature, body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)),
                Is.EqualTo(WebhookVerification.Valid));
        });
    }

    [Test]
    public void Should_refuse_a_host_name_that_resolves_to_loopback_at_connect_time()
    {
        using var services = Services(allowPrivateTargets: false);

        var exception = Assert.ThrowsAsync<HttpRequestException>(() => SendAsync(services, $"http://localhost:{_port}/hook"));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.InnerException, Is.TypeOf<OutboundTargetRefusedException>());
            Assert.That(_received, Is.Empty);
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

    private async Task ReceiveAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer);
            var headers = context.Request.Headers;
            _received.Enqueue((headers[StandardWebhooks.IdHeader], headers[StandardWebhooks.TimestampHeader], headers[StandardWebhooks.SignatureHeader], buffer.ToArray()));
            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }
}
