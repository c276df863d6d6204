using System.Text.Json;

namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>
/// The body of a signed webhook, <c>{ "type", "timestamp", "data" }</c>. Serialised once per message and kept, so
/// every retry sends (and signs) the identical bytes under the same <c>webhook-id</c>.
/// </summary>
internal static class WebhookPayload
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static byte[] Serialize<TData>(string type, DateTimeOffset occurredAt, TData data) =>
        JsonSerializer.SerializeToUtf8Bytes(new { type, timestamp = occurredAt.ToUniversalTime(), data }, Json);
}
