using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PipelineCoach.Notifications.Channels;
using PipelineCoach.Notifications.Deliveries;
using PipelineCoach.Notifications.Routing;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Channels.Webhooks;

/// <summary>The webhook-endpoints API and the webhook sender, as the webhook tests call them.</summary>
internal static class WebhookApi
{
    public const string Route = "/api/v1/webhook-endpoints";

    public static IChannelSender WebhookSender(this NotificationsHost host) => host.Sender(ChannelNames.Webhook);

    /// <summary>An attempt of the sample risk (or <paramref name="notice"/>) to <paramref name="endpointId"/>.</summary>
    public static OutgoingMessage Message(Guid endpointId, Guid? deliveryId = null, int attempt = 1, Notice? notice = null) =>
        SampleNotices.Attempt(ChannelNames.Webhook, endpointId, notice, deliveryId, attempt);

    /// <summary>Registers an endpoint through the API and returns the answer (asserting 201), secret included.</summary>
    public static async Task<JsonNode> CreateEndpointAsync(this NotificationsHost host, string url, params string[] signals)
    {
        using var client = host.Writer();
        return await JsonBody.ReadAsync(await client.PostAsJsonAsync(Route,
            new { url, signals = signals.Length == 0 ? [Signals.OpportunityRisk] : signals, description = "CRM bridge" }), 201);
    }

    public static async Task<JsonNode> GetEndpointAsync(this NotificationsHost host, Guid id)
    {
        using var client = host.Writer();
        return await JsonBody.ReadAsync(await client.GetAsync($"{Route}/{id}"), 200);
    }

    /// <summary>POSTs to one of an endpoint's actions (rotate-secret, enable, disable), asserting 200.</summary>
    public static async Task<JsonNode> ActOnEndpointAsync(this NotificationsHost host, Guid id, string action)
    {
        using var client = host.Writer();
        return await JsonBody.ReadAsync(await client.PostAsync($"{Route}/{id}/{action}", null), 200);
    }

    /// <summary>Every webhook endpoint row in full: a refusal must leave it unchanged.</summary>
    public static Task<string> EndpointsFootprintAsync(this NotificationsHost host) => host.ScalarAsync<string>(
        "SELECT count(*) || ':' || md5(coalesce(string_agg(w::text, ',' ORDER BY id), '')) FROM webhook_endpoints w");
}
