using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Cadence.Schedules;

namespace PipelineCoach.Cadence.Ledger;

/// <summary>
/// Keeps every recurring cadence's slots materialised in the ledger up to now + horizon. Any number of instances run
/// it: cadences are taken with <c>FOR UPDATE SKIP LOCKED</c>, and the unique (cadence, slot) key makes a slot written
/// twice a no-op. Materialising resumes where it stopped, so slots passed during downtime are written too (at most one
/// horizon back) and the claimer applies the misfire policy to them.
/// </summary>
internal sealed partial class HorizonMaterializer(
    NpgsqlDataSource dataSource, LedgerSignal signal, IOptions<CadenceOptions> options, TimeProvider timeProvider, ILogger<HorizonMaterializer> logger)
    : BackgroundService
{
    private const int CadencesPerRound = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await MaterializeOnceAsync(stoppingToken) == CadencesPerRound)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(ex);
            }

            await signal.Materialize.WaitAsync(options.Value.MaterializeInterval, stoppingToken);
        }
    }

    /// <summary>Extends the horizon of up to one round of cadences; returns how many it took.</summary>
    public async Task<int> MaterializeOnceAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var horizon = options.Value.Horizon;
        var until = now + horizon;
        // Re-materialise a cadence once a tenth of its horizon has passed (or the interval, if longer).
        var stale = until - TimeSpan.FromTicks(Math.Max(horizon.Ticks / 10, options.Value.MaterializeInterval.Ticks));

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var cadences = (await connection.QueryAsync<CadenceRow>(new CommandDefinition(
            """
            SELECT c.id, c.kind, c.definition::text AS Definition, c.target_id AS TargetId, c.materialized_until AS MaterializedUntil
            FROM cadences c
            WHERE c.deleted_at IS NULL AND c.is_recurring AND (c.materialized_until IS NULL OR c.materialized_until < @stale)
            ORDER BY c.materialized_until NULLS FIRST
            LIMIT @CadencesPerRound
            FOR UPDATE OF c SKIP LOCKED
            """, new { stale = stale.UtcDateTime, CadencesPerRound }, transaction, cancellationToken: cancellationToken))).AsList();

        // Zones are read once the cadences are locked: a zone change that committed meanwhile is seen (its consumer
        // resets the horizon under the same row lock).
        var zones = (await connection.QueryAsync<(string UserId, string? TimeZone)>(new CommandDefinition(
            "SELECT user_id, time_zone FROM users WHERE user_id = ANY(@targets)",
            new { targets = cadences.Select(c => c.TargetId).OfType<string>().Distinct().ToArray() }, transaction, cancellationToken: cancellationToken)))
            .ToDictionary(u => u.UserId, u => u.TimeZone);
        var slots = new SlotColumns();
        var done = new List<Guid>(cadences.Count);
        foreach (var cadence in cadences)
        {
            var definition = CadenceJson.DeserializeDefinition(cadence.Definition);
            var zone = definition.Schedule!.TimeZone == ScheduleSpec.AssigneeTimeZone ? zones.GetValueOrDefault(cadence.TargetId ?? "") : definition.Schedule.TimeZone;
            var schedule = zone is null ? null : RecurringSchedule.TryCreate(
                definition.Schedule.Cron!, zone, definition.StartsOn, definition.EndsOn, definition.Exclusions ?? [], out _, out _);
            if (schedule is null)
            {
                // The assignee's zone is not known yet (users arrive asynchronously). Their UserChanged resets the
                // horizon; until then there is nothing to write, so the cadence counts as done for this horizon.
                LogZoneUnknown(cadence.Id, cadence.TargetId);
                done.Add(cadence.Id);
                continue;
            }

            var from = cadence.MaterializedUntil is { } last ? Max(new DateTimeOffset(last, TimeSpan.Zero), now - horizon) : now;
            var window = TimeSpan.FromMinutes(definition.CompletionWindowMinutes!.Value);
            foreach (var slot in schedule.Between(from, until))
            {
                slots.Add(cadence, definition.Target!.AssigneeId, slot, window, now);
            }

            done.Add(cadence.Id);
        }

        if (slots.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO occurrences (id, cadence_id, slot_key, kind, assignee_id, scheduled_at, local_start, time_zone, dst, due_by, status, created_at)
                SELECT v.id, v.cadence_id, v.slot_key, v.kind, v.assignee_id, v.scheduled_at, v.local_start, v.time_zone, v.dst, v.due_by, 'scheduled', @now
                FROM unnest(@Ids, @CadenceIds, @SlotKeys, @Kinds, @AssigneeIds, @ScheduledAts, @LocalStarts, @TimeZones, @Dsts, @DueBys)
                    AS v(id, cadence_id, slot_key, kind, assignee_id, scheduled_at, local_start, time_zone, dst, due_by)
                ON CONFLICT (cadence_id, slot_key) DO NOTHING
                """,
                new
                {
                    now = now.UtcDateTime,
                    Ids = slots.Ids.ToArray(),
                    CadenceIds = slots.CadenceIds.ToArray(),
                    SlotKeys = slots.SlotKeys.ToArray(),
                    Kinds = slots.Kinds.ToArray(),
                    AssigneeIds = slots.AssigneeIds.ToArray(),
                    ScheduledAts = slots.ScheduledAts.ToArray(),
                    LocalStarts = slots.LocalStarts.ToArray(),
                    TimeZones = slots.TimeZones.ToArray(),
                    Dsts = slots.Dsts.ToArray(),
                    DueBys = slots.DueBys.ToArray(),
                },
                transaction, cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE cadences SET materialized_until = @until WHERE id = ANY(@done)",
            new { until = until.UtcDateTime, done = done.ToArray() }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        if (slots.Count > 0)
        {
            signal.OccurrencesWritten();
        }

        return cadences.Count;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>A slot's key in the ledger: its UTC instant, so the same slot always maps to the same row.</summary>
    public static string SlotKey(DateTimeOffset utcStart) => utcStart.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private sealed record CadenceRow(Guid Id, string Kind, string Definition, string? TargetId, DateTime? MaterializedUntil);

    private sealed class SlotColumns
    {
        public List<Guid> Ids { get; } = [];
        public List<Guid> CadenceIds { get; } = [];
        public List<string> SlotKeys { get; } = [];
        public List<string> Kinds { get; } = [];
        public List<string?> AssigneeIds { get; } = [];
        public List<DateTime> ScheduledAts { get; } = [];
        public List<DateTime> LocalStarts { get; } = [];
        public List<string> TimeZones { get; } = [];
        public List<string?> Dsts { get; } = [];
        public List<DateTime> DueBys { get; } = [];

        public int Count => Ids.Count;

        public void Add(CadenceRow cadence, string? assigneeId, ScheduledSlot slot, TimeSpan window, DateTimeOffset now)
        {
            Ids.Add(Guid.CreateVersion7(now));
            CadenceIds.Add(cadence.Id);
            SlotKeys.Add(SlotKey(slot.UtcStart));
            Kinds.Add(cadence.Kind);
            AssigneeIds.Add(assigneeId);
            ScheduledAts.Add(slot.UtcStart.UtcDateTime);
            LocalStarts.Add(DateTime.SpecifyKind(slot.LocalStart, DateTimeKind.Unspecified));
            TimeZones.Add(slot.TimeZone);
            Dsts.Add(slot.Dst switch { DstMark.Shifted => "shifted", DstMark.Ambiguous => "ambiguous", _ => null });
            DueBys.Add((slot.UtcStart + window).UtcDateTime);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Materialising the cadence horizon failed; retrying at the next interval")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cadence {CadenceId} follows the time zone of {AssigneeId}, which is not known yet; it materialises once their UserChanged arrives")]
    private partial void LogZoneUnknown(Guid cadenceId, string? assigneeId);
}
