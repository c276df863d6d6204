using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Preferences;

/// <summary>The Notifications service on its own test database with a standing clock, with helpers for HTTP and SQL.</summary>
internal sealed class NotificationsApiHost : IAsyncDisposable
{
    private NotificationsApiHost(ServiceHost<Program> host) => Host = host;

    public ServiceHost<Program> Host { get; }

    public static async Task<NotificationsApiHost> StartAsync() =>
        new(await ServiceHost<Program>.StartAsync("notifications", null, TestClock.Replace(TestClock.Start())));

    public HttpClient Client(params string[] scopes)
    {
        var client = Host.CreateClient();
        return scopes.Length == 0 ? client : client.WithScopes(scopes);
    }

    public HttpClient Reader() => Client(NotificationsScopes.Read);

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

    /// <summary>Creates a subscription and returns its JSON (asserting 201).</summary>
    public async Task<JsonNode> SubscribeAsync(string subscriberId, string signal, string? managerId = null)
    {
        using var client = Writer();
        var response = await client.PostAsJsonAsync("/api/v1/subscriptions", new { subscriberId, signal, scope = new { managerId } });
        var json = await JsonAsync(response);
        Assert.That((int)response.StatusCode, Is.EqualTo(201), json.ToJsonString());
        return json;
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(Host.DatabaseConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? default!;
    }

    /// <summary>Every row the preferences and subscriptions APIs write: a refusal must leave this unchanged.</summary>
    public Task<string> FootprintAsync() => ScalarAsync<string>(
        """
        SELECT concat_ws('|',
            (SELECT count(*) FROM recipient_preferences),
            (SELECT md5(coalesce(string_agg(concat_ws(',', user_id, channels::text, quiet_start, quiet_end, time_zone, digest, digest_at, daily_budget), ';' ORDER BY user_id), '')) FROM recipient_preferences),
            (SELECT count(*) FROM subscriptions),
            (SELECT md5(coalesce(string_agg(concat_ws(',', id, subscriber_id, signal, manager_id), ';' ORDER BY id), '')) FROM subscriptions))
        """);

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
