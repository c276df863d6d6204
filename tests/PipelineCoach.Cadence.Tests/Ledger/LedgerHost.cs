using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests.Ledger;

/// <summary>
/// Cadence hosted against the test servers with a fake clock the test moves, polling fast. Several hosts on one
/// database are several instances; disposing one mid-round is an instance killed mid-claim.
/// </summary>
internal sealed class LedgerHost : IAsyncDisposable
{
    public const string Organization = "00D000000000001EAA";

    private LedgerHost(ServiceHost<Program> host) => Host = host;

    public ServiceHost<Program> Host { get; }

    public string ConnectionString => Host.DatabaseConnectionString;

    public static Dictionary<string, string?> FastPolling(IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Cadence:ClaimInterval"] = "00:00:00.100",
            ["Cadence:MaterializeInterval"] = "00:00:00.200",
            ["Messaging:Outbox:PollInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A first instance on a new database.</summary>
    public static async Task<LedgerHost> StartAsync(FakeTimeProvider clock, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        new(await ServiceHost<Program>.StartAsync("cadence", FastPolling(settings), Services(clock, services)));

    /// <summary>Another instance (or a restart) on the same database.</summary>
    public static async Task<LedgerHost> StartAnotherAsync(LedgerHost first, FakeTimeProvider clock, Action<IServiceCollection>? services = null) =>
        new(await ServiceHost<Program>.StartAsync(first.Host.Settings, Services(clock, services)));

    private static Action<IServiceCollection> Services(FakeTimeProvider clock, Action<IServiceCollection>? more) => services =>
    {
        TestClock.Replace(clock)(services);
        more?.Invoke(services);
    };

    /// <summary>Stores a cadence as the API would (template defaults applied) and returns its id.</summary>
    public async Task<Guid> AddCadenceAsync(CadenceDefinition definition, DateTimeOffset now)
    {
        var resolved = Host.Services.GetRequiredService<CadenceTemplates>().ApplyDefaults(definition);
        var id = Guid.CreateVersion7();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.ExecuteAsync(
            """
            INSERT INTO cadences (id, kind, name, definition, is_recurring, target_type, target_id, created_at, updated_at)
            VALUES (@id, @Kind, @Name, @definition::jsonb, @IsRecurring, @targetType, @targetId, @now, @now)
            """,
            new
            {
                id, resolved.Kind, resolved.Name, definition = CadenceJson.Serialize(resolved), resolved.IsRecurring,
                targetType = resolved.Target?.Type, targetId = resolved.Target?.AssigneeId, now = now.UtcDateTime,
            });
        Host.Services.GetRequiredService<Cadence.Ledger.LedgerSignal>().CadenceChanged();
        return id;
    }

    public async Task<IReadOnlyList<OccurrenceRow>> OccurrencesAsync(Guid cadenceId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return [.. await connection.QueryAsync<OccurrenceRow>(
            """
            SELECT id, slot_key AS SlotKey, status, status_reason AS StatusReason, scheduled_at AS ScheduledAt, local_start AS LocalStart,
                time_zone AS TimeZone, dst, due_by AS DueBy, assignee_id AS AssigneeId, participant_ids AS ParticipantIds,
                opportunity_id AS OpportunityId, agenda::text AS Agenda
            FROM occurrences WHERE cadence_id = @cadenceId ORDER BY scheduled_at, id
            """, new { cadenceId })];
    }

    public Task PublishAsync<T>(T message) where T : class => Host.Services.GetRequiredService<IBus>().Publish(message);

    public static UserChanged User(string id, string? managerId, string timeZone, DateTimeOffset version, string? name = null) => new()
    {
        UserId = id,
        OrganizationId = Organization,
        SourceVersion = version,
        OccurredAt = version,
        Name = name ?? $"User {id[^4..]}",
        Email = $"{id}@example.com",
        ManagerId = managerId,
        TimeZone = timeZone,
        IsActive = true,
    };

    /// <summary>Publishes the users and waits until Cadence has stored every one of them.</summary>
    public async Task AddUsersAsync(params UserChanged[] users)
    {
        foreach (var user in users)
        {
            await PublishAsync(user);
        }

        await Eventually.TrueAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            return await connection.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM users u JOIN unnest(@ids, @zones) AS v(id, zone) ON u.user_id = v.id AND u.time_zone = v.zone",
                new { ids = users.Select(u => u.UserId).ToArray(), zones = users.Select(u => u.TimeZone).ToArray() }) == users.Length;
        }, "Cadence to store the users");
    }

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}

internal sealed class OccurrenceRow
{
    public Guid Id { get; init; }
    public string SlotKey { get; init; } = "";
    public string Status { get; init; } = "";
    public string? StatusReason { get; init; }
    public DateTime ScheduledAt { get; init; }
    public DateTime LocalStart { get; init; }
    public string TimeZone { get; init; } = "";
    public string? Dst { get; init; }
    public DateTime DueBy { get; init; }
    public string? AssigneeId { get; init; }
    public string[] ParticipantIds { get; init; } = [];
    public string? OpportunityId { get; init; }
    public string? Agenda { get; init; }
}
