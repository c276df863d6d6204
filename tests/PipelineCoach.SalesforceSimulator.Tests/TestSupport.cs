using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PipelineCoach.Testing;

namespace PipelineCoach.SalesforceSimulator.Tests;

/// <summary>A received HTTP request as the test saw it.</summary>
internal sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);

/// <summary>A loopback HTTP receiver (Kestrel) standing in for the suite's webhook endpoints.</summary>
internal sealed class TestReceiver : IAsyncDisposable
{
    private readonly WebApplication app;

    private TestReceiver(WebApplication app) => this.app = app;

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>Decides status and body for each request; default: 200 with the SOAP Ack.</summary>
    public Func<ReceivedRequest, (int Status, string Body)> Respond { get; set; } =
        _ => (200, OutboundMessages.SoapEnvelope.Ack);

    public Uri Url { get; private set; } = null!;

    public static async Task<TestReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new TestReceiver(app);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var request = new ReceivedRequest(
                context.Request.Path,
                context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
                body,
                DateTimeOffset.UtcNow);
            var (status, responseBody) = receiver.Respond(request);
            receiver.Requests.Enqueue(request);
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/xml; charset=utf-8";
            await context.Response.WriteAsync(responseBody, context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address + "/hooks");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

internal static class Poll
{
    /// <summary>Waits with the suite's one poller (<see cref="Eventually"/>) until the condition holds.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, int timeoutSeconds = 20) =>
        Eventually.TrueAsync(condition, what, TimeSpan.FromSeconds(timeoutSeconds));
}

internal static class Http
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : string.Empty;

    public static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public static async Task<HttpResponseMessage> PatchAsync(this HttpClient client, string url, string json, string? callOptions = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = Json(json) };
        if (callOptions is not null)
        {
            request.Headers.Add("Sforce-Call-Options", callOptions);
        }

        return await client.SendAsync(request);
    }
}

/// <summary>One simulator per fixture, with a small deterministic org; faults and limits reset per test.</summary>
internal abstract class SimulatorFixture
{
    public static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    protected SimulatorHost Host { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    protected virtual int Opportunities => 2_500;

    protected virtual void Configure(SimulatorOptions options)
    {
    }

    [OneTimeSetUp]
    public async Task StartSimulatorAsync()
    {
        var options = new SimulatorOptions { Org = new() { Seed = 11, Opportunities = Opportunities, AsOf = Today } };
        Configure(options);
        Host = await SimulatorApp.StartAsync(options);
        Client = Host.CreateClient();
    }

    [TearDown]
    public void ResetFaults()
    {
        Host.Faults.Reset();
        Host.ApiUsage.Set(0, Host.Options.DailyApiRequests);
    }

    [OneTimeTearDown]
    public async Task StopSimulatorAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }

    protected static string Q(string soql) => "services/data/v62.0/query?q=" + Uri.EscapeDataString(soql);
}

/// <summary>System time plus an offset the test moves forward (e.g. past a replication window's minute).</summary>
internal sealed class AdjustableTimeProvider : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
