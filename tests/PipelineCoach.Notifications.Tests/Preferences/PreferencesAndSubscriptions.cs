using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Preferences;

/// <summary>The preferences and subscriptions APIs, as their tests call them.</summary>
internal static class PreferencesAndSubscriptions
{
    /// <summary>Creates a subscription and returns its JSON (asserting 201).</summary>
    public static async Task<JsonNode> SubscribeAsync(this NotificationsHost host, string subscriberId, string signal, string? managerId = null)
    {
        using var client = host.Writer();
        return await JsonBody.ReadAsync(await client.PostAsJsonAsync("/api/v1/subscriptions", new { subscriberId, signal, scope = new { managerId } }), 201);
    }

    /// <summary>Every row the preferences and subscriptions APIs write: a refusal must leave this unchanged.</summary>
    public static Task<string> PreferencesFootprintAsync(this NotificationsHost host) => host.ScalarAsync<string>(
        """
        SELECT concat_ws('|',
            (SELECT count(*) FROM recipient_preferences),
            (SELECT md5(coalesce(string_agg(concat_ws(',', user_id, channels::text, quiet_start, quiet_end, time_zone, digest, digest_at, daily_budget), ';' ORDER BY user_id), '')) FROM recipient_preferences),
            (SELECT count(*) FROM subscriptions),
            (SELECT md5(coalesce(string_agg(concat_ws(',', id, subscriber_id, signal, manager_id), ';' ORDER BY id), '')) FROM subscriptions))
        """);
}
