using Dapper;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Cadence.Triggers;

/// <summary>
/// Writes event-driven occurrences into the ledger. They are due at once (the claimer fires them with their agenda) and
/// must be held within the cadence's business days. The assignee is the owner's manager (the owner when no manager is
/// known); the owner takes part.
/// </summary>
internal sealed class EventOccurrences
{
    /// <summary>Inserts the occurrences the move triggers; returns how many were new.</summary>
    public async Task<int> CreateAsync(UnitOfWork work, OpportunityMove move, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cadences = await work.Connection.QueryAsync<(Guid Id, string Kind, string Definition)>(new CommandDefinition(
            // FOR SHARE: a DELETE of one of these cadences waits for this transaction, then retires what it inserted.
            "SELECT id, kind, definition::text FROM cadences WHERE deleted_at IS NULL AND NOT is_recurring FOR SHARE",
            transaction: work.Transaction, cancellationToken: cancellationToken));
        var owner = move.OwnerId is null ? null : await work.Connection.QuerySingleOrDefaultAsync<(string? ManagerId, string? OwnerZone, string? ManagerZone)?>(new CommandDefinition(
            """
            SELECT o.manager_id, o.time_zone, m.time_zone FROM users o LEFT JOIN users m ON m.user_id = o.manager_id
            WHERE o.user_id = @OwnerId
            """, move, work.Transaction, cancellationToken: cancellationToken));
        var withManager = move with { OwnerManagerId = owner?.ManagerId };

        var fired = new List<(Guid CadenceId, string Kind, string SlotKey, int Days)>();
        foreach (var cadence in cadences)
        {
            var definition = CadenceJson.DeserializeDefinition(cadence.Definition);
            if (definition.Trigger is { } trigger && TriggerRule.SlotKey(trigger, definition.Target, withManager) is { } slotKey)
            {
                fired.Add((cadence.Id, cadence.Kind, slotKey, trigger.DueWithinBusinessDays ?? 3));
            }
        }

        if (fired.Count == 0)
        {
            return 0;
        }

        var assignee = owner?.ManagerId ?? move.OwnerId;
        var zone = Zone(owner?.ManagerId is not null ? owner?.ManagerZone ?? owner?.OwnerZone : owner?.OwnerZone);
        var holidays = (await work.Connection.QueryAsync<DateTime>(new CommandDefinition(
            "SELECT day FROM holidays", transaction: work.Transaction, cancellationToken: cancellationToken))).Select(DateOnly.FromDateTime).ToHashSet();
        var participants = move.OwnerId is not null && move.OwnerId != assignee ? move.OwnerId : "";
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;

        return await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO occurrences (id, cadence_id, slot_key, kind, opportunity_id, assignee_id, participant_ids, scheduled_at,
                local_start, time_zone, due_by, status, created_at)
            SELECT v.id, v.cadence_id, v.slot_key, v.kind, @OpportunityId, @assignee, string_to_array(@participants, ','), @now,
                @local, @zoneId, v.due_by, 'scheduled', @now
            FROM unnest(@ids, @cadenceIds, @slotKeys, @kinds, @dueBys) AS v(id, cadence_id, slot_key, kind, due_by)
            ON CONFLICT DO NOTHING
            """,
            new
            {
                move.OpportunityId,
                assignee,
                participants,
                now = now.UtcDateTime,
                local,
                zoneId = zone.Id,
                ids = fired.Select(_ => Guid.CreateVersion7()).ToArray(),
                cadenceIds = fired.Select(f => f.CadenceId).ToArray(),
                slotKeys = fired.Select(f => f.SlotKey).ToArray(),
                kinds = fired.Select(f => f.Kind).ToArray(),
                dueBys = fired.Select(f => BusinessDays.DueBy(now, f.Days, zone, holidays).UtcDateTime).ToArray(),
            },
            work.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>A closed or deleted deal needs no more reviews: its pending occurrences are retired.</summary>
    public Task<int> RetireAsync(UnitOfWork work, string opportunityId, string reason, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE occurrences SET status = 'retired', status_reason = @reason
            WHERE opportunity_id = @opportunityId AND status IN ('scheduled', 'due')
            """, new { opportunityId, reason }, work.Transaction, cancellationToken: cancellationToken));

    private static TimeZoneInfo Zone(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
