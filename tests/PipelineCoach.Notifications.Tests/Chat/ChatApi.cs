using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Chat;

/// <summary>HTTP and SQL helpers for the chat-destinations API tests.</summary>
internal static class ChatApi
{
    public const string Route = "/api/v1/chat-destinations";

    public static readonly string ManagerId = "005000000000001AAA";

    public static HttpClient Writer(ServiceHost<Program> host) => host.CreateClient().WithScopes(NotificationsScopes.Read, NotificationsScopes.Write);

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"Empty body ({(int)response.StatusCode})");
    }

    /// <summary>Creates a destination and returns its JSON (asserting 201).</summary>
    public static async Task<JsonNode> CreateAsync(ServiceHost<Program> host, string type, string url, string name = "Sales leadership",
        string? managerId = null, params string[] signals)
    {
        using var client = Writer(host);
        var response = await client.PostAsJsonAsync(Route, new { type, url, name, managerId, signals = signals.Length == 0 ? ["opportunity-risk"] : signals });
        var json = await JsonAsync(response);
        Assert.That((int)response.StatusCode, Is.EqualTo(201), json.ToJsonString());
        return json;
    }

    /// <summary>The field names of a 400 problem's errors.</summary>
    public static async Task<IReadOnlyList<string>> ErrorFieldsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(400), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        return [.. (JsonNode.Parse(text)!["errors"]?.AsObject() ?? []).Select(e => e.Key)];
    }

    /// <summary>Every chat destination as stored, ciphertext included: a refusal must leave it unchanged.</summary>
    public static async Task<string> FootprintAsync(ServiceHost<Program> host)
    {
        await using var connection = new NpgsqlConnection(host.DatabaseConnectionString);
        return await connection.ExecuteScalarAsync<string>(
            """
            SELECT count(*) || '|' || md5(coalesce(string_agg(concat_ws(',', id, type, encode(url, 'hex'), url_display, name, manager_id,
                array_to_string(signals, ';'), updated_at), '|' ORDER BY id), ''))
            FROM chat_destinations
            """) ?? "";
    }

    public static async Task<T> ScalarAsync<T>(ServiceHost<Program> host, string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(host.DatabaseConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? default!;
    }
}
