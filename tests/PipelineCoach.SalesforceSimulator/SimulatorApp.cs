using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using PipelineCoach.SalesforceSimulator.ChangeEvents;
using PipelineCoach.SalesforceSimulator.Faults;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.SalesforceSimulator.OAuth;
using PipelineCoach.SalesforceSimulator.Org;
using PipelineCoach.SalesforceSimulator.OutboundMessages;
using PipelineCoach.SalesforceSimulator.Rest;
using PipelineCoach.SalesforceSimulator.Bulk;
using PipelineCoach.SalesforceSimulator.Scenarios;

namespace PipelineCoach.SalesforceSimulator;

/// <summary>Starts a simulator on 127.0.0.1 (Kestrel, a free port by default) inside the calling process.</summary>
public static class SimulatorApp
{
    public static async Task<SimulatorHost> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var app = Build(options, []);
        await app.StartAsync(cancellationToken);
        var services = app.Services.GetRequiredService<SimulatorServices>();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        services.BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return new SimulatorHost(app, services);
    }

    internal static WebApplication Build(SimulatorOptions options, string[] args)
    {
        var org = options.ExistingOrg ?? OrgGenerator.Generate(options.Org, options.TimeProvider);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Parse(options.Host), options.Port);
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        var services = new SimulatorServices(options, org);
        builder.Services.AddSingleton(services);
        builder.Services.AddHttpClient(OutboundMessageDispatcher.HttpClientName);
        builder.Services.AddSingleton(sp => new OutboundMessageDispatcher(
            services, sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<ILogger<OutboundMessageDispatcher>>()));
        builder.Services.AddSingleton(sp => new ChangeEventPublisher(
            services, sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<ILogger<ChangeEventPublisher>>()));
        builder.Services.AddSingleton(_ => new DayInTheLife(services));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboundMessageDispatcher>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChangeEventPublisher>());

        var app = builder.Build();
        services.Writer.AddSink(app.Services.GetRequiredService<OutboundMessageDispatcher>());
        services.Writer.AddSink(app.Services.GetRequiredService<ChangeEventPublisher>());
        app.UseMiddleware<ApiGate>();
        app.MapGet("/services/data", () => Results.Json(
            new[] { new VersionInfo("Winter '25", SalesforceJson.DataPath, "62.0") }, SimulatorHttpJson.Default.VersionInfoArray));
        app.MapOAuth();
        var api = app.MapGroup(SalesforceJson.DataPath);
        api.MapQuery();
        api.MapSObjects();
        api.MapBulk();
        app.MapFallback("/services/data/{**rest}", (HttpContext c) =>
            SalesforceJson.WriteErrorAsync(c, 404, "NOT_FOUND", "The requested resource does not exist"));
        app.MapControl();
        return app;
    }
}

/// <summary>A running simulator: its address and handles on its state.</summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly SimulatorServices services;

    internal SimulatorHost(WebApplication app, SimulatorServices services)
    {
        this.app = app;
        this.services = services;
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234/</c>; also the <c>instance_url</c> of issued tokens.</summary>
    public Uri BaseUrl => services.BaseUrl;

    public SimulatorOptions Options => services.Options;

    public SalesforceOrg Org => services.Org;

    public GroundTruth GroundTruth => services.Org.GroundTruth;

    public OrgWriter Writer => services.Writer;

    public FaultSettings Faults => services.Faults;

    public ApiUsage ApiUsage => services.Usage;

    public TokenService Tokens => services.Tokens;

    public OutboundMessageDispatcher OutboundMessages => app.Services.GetRequiredService<OutboundMessageDispatcher>();

    public ChangeEventPublisher ChangeEvents => app.Services.GetRequiredService<ChangeEventPublisher>();

    public DayInTheLife Scenario => app.Services.GetRequiredService<DayInTheLife>();

    /// <summary>The settings that point CRM sync at this simulator: its org, its login URL and its connected app.</summary>
    public Dictionary<string, string?> SyncConnectionSettings() => new()
    {
        ["Salesforce:OrganizationId"] = Org.OrganizationId,
        ["Salesforce:Api:LoginUrl"] = BaseUrl.ToString(),
        ["Salesforce:Api:AuthFlow"] = "ClientCredentials",
        ["Salesforce:Api:ConsumerKey"] = Options.OAuth.ConsumerKey,
        ["Salesforce:Api:ConsumerSecret"] = Options.OAuth.ConsumerSecret,
    };

    /// <summary>Mints an access token without the OAuth round trip (default: the integration user).</summary>
    public string IssueAccessToken(string? username = null)
    {
        var user = username is null ? 0 : Org.UsernameIndex[username];
        return Tokens.Issue(user).AccessToken;
    }

    /// <summary>An HttpClient on <see cref="BaseUrl"/>, with a fresh bearer token unless told otherwise.</summary>
    public HttpClient CreateClient(bool authenticated = true)
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        if (authenticated)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", IssueAccessToken());
        }

        return client;
    }

    /// <summary>Completes when the host is told to stop (SIGTERM, Ctrl+C) or the token is cancelled.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

internal sealed record VersionInfo(string Label, string Url, string Version);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(VersionInfo[]))]
internal sealed partial class SimulatorHttpJson : System.Text.Json.Serialization.JsonSerializerContext;
