using System.Net.Http.Json;
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

    public HttpClient Client(params string[] scopes) => Host.Client(scopes);

    public HttpClient Writer() => Client(CadenceScopes.Read, CadenceScopes.Write);

    /// <summary>Creates a cadence and returns its JSON (asserting 201).</summary>
    public async Task<JsonNode> CreateAsync(object body)
    {
        using var client = Writer();
        return await JsonBody.ReadAsync(await client.PostAsJsonAsync("/api/v1/cadences", body), 201);
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
