using System.Text.Json;

namespace PipelineCoach.Notifications;

/// <summary>How notices and resolutions are stored (jsonb) and shown: camelCase, like the API.</summary>
internal static class NotificationsJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
