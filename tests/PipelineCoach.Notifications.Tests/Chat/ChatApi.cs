using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Chat;

/// <summary>The chat-destinations API, as the chat tests call it.</summary>
internal static class ChatApi
{
    public const string Route = "/api/v1/chat-destinations";

    public static readonly string ManagerId = "005000000000001AAA";

    /// <summary>Creates a destination and returns its JSON (asserting 201).</summary>
    public static async Task<JsonNode> CreateDestinationAsync(this NotificationsHost host, string type, string url, string name = "Sales leadership",
        string? managerId = null, params string[] signals)
    {
        using var client = host.Writer();
        return await JsonBody.ReadAsync(await client.PostAsJsonAsync(Route,
            new { type, url, name, managerId, signals = signals.Length == 0 ? ["opportunity-risk"] : signals }), 201);
    }

    /// <summary>Every chat destination as stored, ciphertext included: a refusal must leave it unchanged.</summary>
    public static Task<string> DestinationsFootprintAsync(this NotificationsHost host) => host.ScalarAsync<string>(
        """
        SELECT count(*) || '|' || md5(coalesce(string_agg(concat_ws(',', id, type, encode(url, 'hex'), url_display, name, manager_id,
            array_to_string(signals, ';'), updated_at), '|' ORDER BY id), ''))
        FROM chat_destinations
        """);
}
