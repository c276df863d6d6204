using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using PipelineCoach.Notifications.Channels;
using PipelineCoach.Notifications.Deliveries;
using PipelineCoach.Notifications.Routing;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Channels.Webhooks;

/// <summary>Notifications on its own test database with a fake clock, and helpers for the webhook-endpoints API and sender.</summary>
internal sealed class WebhookHost : IAsyncDisposable
{
    private WebhookHost(ServiceHost<Program> host, FakeTimeProvider clock)
    {
        Host = host;
        Clock = clock;
    }

    public ServiceHost<Program> Host { get; }

    /// <summary>The service's clock: it stands still unless a test advances it.</summary>
    public FakeTimeProvider Clock { get; }

    public IChannelSender Sender => Host.Services.GetServices<IChannelSender>().Single(sender => sender.Channel == ChannelNames.Webhook);

    public static async Task<WebhookHost> StartAsync(bool allowPrivateTargets = true, IDictionary<string, string?>? settings = null)
    {
        var clock = TestClock.Start();
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Notifications:Webhooks:AllowPrivateTargets"] = allowPrivateTargets ? "true" : "false",
        };
        return new WebhookHost(await ServiceHost<Program>.StartAsync("notifications", all, TestClock.Replace(clock)), clock);
    }

    public HttpClient Client(params string[] scopes)
    {
        var client = Host.CreateClient();
        return scopes.Length == 0 ? client : client.WithScopes(scopes);
    }

    public HttpClient Writer() => Client(NotificationsScopes.Read, NotificationsScopes.Write);

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"Empty body ({(int)response.StatusCode})");
    }

    /// <summary>The field names of a 400 problem's errors.</summary>
    public static async Task<IReadOnlyList<string>> ErrorFieldsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(400), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        return [.. (JsonNode.Parse(text)!["errors"]?.AsObject() ?? []).Select(e => e.Key)];
    }

    /// <summary>Registers an endpoint through the API and returns the answer (asserting 201), secret included.</summary>
    public async Task<JsonNode> CreateAsync(string url, params string[] signals)
    {
        using var client = Writer();
        var response = await client.PostAsJsonAsync("/api/v1/webhook-endpoints",
            new { url, signals = signals.Length == 0 ? [Signals.OpportunityRisk] : signals, description = "CRM bridge" });
        var json = await JsonAsync(response);
        Assert.That((int)response.StatusCode, Is.EqualTo(201), json.ToJsonString());
        return json;
    }

    public async Task<JsonNode> GetAsync(Guid id)
    {
        using var client = Writer();
        var response = await client.GetAsync($"/api/v1/webhook-endpoints/{id}");
        var json = await JsonAsync(response);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), json.ToJsonString());
        return json;
    }

    /// <summary>POSTs to one of an endpoint's actions (rotate-secret, enable, disable), asserting 200.</summary>
    public async Task<JsonNode> ActAsync(Guid id, string action)
    {
        using var client = Writer();
        var response = await client.PostAsync($"/api/v1/webhook-endpoints/{id}/{action}", null);
        var json = await JsonAsync(response);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), json.ToJsonString());
        return json;
    }

    /// <summary>An attempt of a delivery to <paramref name="endpointId"/>, as the dispatcher hands it over.</summary>
    public static OutgoingMessage Message(Guid endpointId, Guid? deliveryId = null, int attempt = 1, Notice? notice = null) => new()
    {
        DeliveryId = deliveryId ?? Guid.NewGuid(),
        BusinessKey = notice?.BusinessKey ?? "opportunity-risk:006000000000001AAA:2026-11-25",
        Channel = ChannelNames.Webhook,
        TargetId = endpointId,
        Attempt = attempt,
        Notice = notice ?? Notice(),
    };

    public static Notice Notice() => new()
    {
        Signal = Signals.OpportunityRisk,
        BusinessKey = "opportunity-risk:006000000000001AAA:2026-11-25",
        Title = "Acme renewal is at risk: slipping",
        Summary = "The close date moved out a third time.",
        OpportunityId = "006000000000001AAA",
        OpportunityName = "Acme renewal",
        Amount = 125_000.50m,
        OwnerName = "Rita Rep",
        OccurredAt = new DateTimeOffset(2026, 11, 25, 10, 15, 0, TimeSpan.FromHours(2)),
        Sections =
        [
            new NoticeSection
            {
                Title = "What changed",
                OpportunityId = "006000000000001AAA",
                Lines = [new NoticeLine { Text = "Close date pushed out a third time", OpportunityId = "006000000000001AAA", Amount = 125_000.50m }],
            },
        ],
    };

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(Host.DatabaseConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? default!;
    }

    /// <summary>Every webhook endpoint row in full: a refusal must leave it unchanged.</summary>
    public Task<string> FootprintAsync() => ScalarAsync<string>(
        "SELECT count(*) || ':' || md5(coalesce(string_agg(w::text, ',' ORDER BY id), '')) FROM webhook_endpoints w");

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
