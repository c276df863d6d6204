using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests.Api;

/// <summary>The Cadence service on its own test database with a standing clock, with helpers for HTTP and SQL.</summary>
internal sealed class CadenceApiHost : IAsyncDisposable
{
    private CadenceApiHost(ServiceHost<Program> host) => Host = host;

    public ServiceHost<Program> Host { get; }

    /// <summary>The service's "now": the clock stands still at <see cref="TestClock.Now"/>.</summary>
    public static DateTimeOffset Now => TestClock.Now;

    public static async Task<CadenceApiHost> StartAsync() =>
        new(await ServiceHost<Program>.StartAsync("cadence", null, TestClock.Replace(TestClock.Start())));

    public HttpClient Client(params string[] scopes)
    {
        var client = Host.CreateClient();
        return scopes.Length == 0 ? client : client.WithScopes(scopes);
    }

    public HttpClient Writer() => Client(CadenceScopes.Read, CadenceScopes.Write);

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

    /// <summary>Creates a cadence and returns its JSON (asserting 201).</summary>
    public async Task<JsonNode> CreateAsync(object body)
    {
        using var client = Writer();
        var response = await client.PostAsJsonAsync("/api/v1/cadences", body);
        var json = await JsonAsync(response);
        Assert.That((int)response.StatusCode, Is.EqualTo(201), json.ToJsonString());
        return json;
    }

    /// <summary>An event-driven cadence (so the ledger materialises nothing for it), to hang inserted occurrences on.</summary>
    public async Task<Guid> EventDrivenCadenceAsync() =>
        (await CreateAsync(new { kind = "custom", name = "Test reviews", trigger = new { on = "opportunity-created" } }))["id"]!.GetValue<Guid>();

    /// <summary>
    /// Inserts an occurrence as the ledger would. A pending one's window ends a day after now at the earliest, so
    /// neither the claimer (scheduled ones should be future) nor the missed sweeper touches it during a test.
    /// </summary>
    public async Task<Guid> InsertOccurrenceAsync(Guid cadenceId, string status, DateTimeOffset scheduledAt, string kind = "daily-huddle",
        string? assigneeId = null, string? statusReason = null, string? opportunityId = null, string? claimedBy = null,
        DateTimeOffset? leaseUntil = null, string? agenda = null, string? actedBy = null)
    {
        var id = Guid.CreateVersion7();
        await ExecuteAsync(
            """
            INSERT INTO occurrences (id, cadence_id, slot_key, kind, opportunity_id, assignee_id, participant_ids, scheduled_at, local_start,
                                     time_zone, dst, due_by, status, status_reason, agenda, acted_by, claimed_by, lease_until, created_at)
            VALUES (@id, @cadenceId, @slotKey, @kind, @opportunityId, @assigneeId, @participants, @scheduledAt, @localStart,
                    'America/New_York', NULL, @dueBy, @status, @statusReason, @agenda::jsonb, @actedBy, @claimedBy, @leaseUntil, @now)
            """,
            new
            {
                id,
                cadenceId,
                slotKey = id.ToString(),
                kind,
                opportunityId,
                assigneeId,
                participants = new[] { "005000000000009AAA" },
                scheduledAt,
                localStart = TimeZoneInfo.ConvertTimeFromUtc(scheduledAt.UtcDateTime, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")),
                dueBy = (scheduledAt > Now ? scheduledAt : Now).AddDays(1),
                status,
                statusReason,
                agenda,
                actedBy,
                claimedBy,
                leaseUntil,
                now = Now,
            });
        return id;
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(Host.DatabaseConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? default!;
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(Host.DatabaseConnectionString);
        await connection.ExecuteAsync(sql, parameters);
    }

    /// <summary>Every row the API writes, counted: a refusal must leave all of these unchanged.</summary>
    public Task<string> FootprintAsync() => ScalarAsync<string>(
        """
        SELECT concat_ws('|',
            (SELECT count(*) FROM cadences), (SELECT md5(coalesce(string_agg(definition::text || coalesce(deleted_at::text, ''), ',' ORDER BY id), '')) FROM cadences),
            (SELECT string_agg(day::text, ',' ORDER BY day) FROM holidays),
            (SELECT string_agg(status || coalesce(status_reason, '') || coalesce(notes, '') || coalesce(acted_by, ''), ',' ORDER BY id) FROM occurrences))
        """);

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
