using Dapper;
using Npgsql;

namespace PipelineCoach.Cadence.Occurrences;

/// <summary>
/// The occurrence ledger as people read and act on it. Opens its own connections from the data source; an act locks
/// its row (<c>FOR UPDATE</c>) so concurrent completes and skips, and the ledger's own status changes, serialise.
/// </summary>
internal sealed class OccurrenceStore(NpgsqlDataSource dataSource)
{
    private const string SelectRow =
        $"""
        SELECT id AS {nameof(OccurrenceRow.Id)}, cadence_id AS {nameof(OccurrenceRow.CadenceId)}, kind AS {nameof(OccurrenceRow.Kind)},
               assignee_id AS {nameof(OccurrenceRow.AssigneeId)}, participant_ids AS {nameof(OccurrenceRow.ParticipantIds)},
               opportunity_id AS {nameof(OccurrenceRow.OpportunityId)}, scheduled_at AS {nameof(OccurrenceRow.ScheduledAt)},
               local_start AS {nameof(OccurrenceRow.LocalStart)}, time_zone AS {nameof(OccurrenceRow.TimeZone)}, dst AS {nameof(OccurrenceRow.Dst)},
               due_by AS {nameof(OccurrenceRow.DueBy)}, status AS {nameof(OccurrenceRow.Status)}, status_reason AS {nameof(OccurrenceRow.StatusReason)},
               agenda::text AS {nameof(OccurrenceRow.Agenda)}, notes AS {nameof(OccurrenceRow.Notes)}, acted_by AS {nameof(OccurrenceRow.ActedBy)},
               acted_at AS {nameof(OccurrenceRow.ActedAt)}, fired_at AS {nameof(OccurrenceRow.FiredAt)}
        FROM occurrences
        """;

    public async Task<OccurrenceRow?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<OccurrenceRow>(new CommandDefinition(
            $"{SelectRow} WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Occurrences matching the filter in (scheduled_at, id) order, at most <see cref="OccurrenceFilter.Take"/>.</summary>
    public async Task<IReadOnlyList<OccurrenceRow>> ListAsync(OccurrenceFilter filter, CancellationToken cancellationToken)
    {
        // Only the conditions asked for, so each query can use the index that fits it.
        var conditions = new List<string>();
        if (filter.AssigneeId is not null)
        {
            conditions.Add("assignee_id = @AssigneeId");
        }

        if (filter.CadenceId is not null)
        {
            conditions.Add("cadence_id = @CadenceId");
        }

        if (filter.OpportunityId is not null)
        {
            conditions.Add("opportunity_id = @OpportunityId");
        }

        if (filter.Status is not null)
        {
            conditions.Add("status = @Status");
        }

        if (filter.From is not null)
        {
            conditions.Add("scheduled_at >= @From");
        }

        if (filter.To is not null)
        {
            conditions.Add("scheduled_at < @To");
        }

        if (filter.After is not null)
        {
            conditions.Add("(scheduled_at, id) > (@afterAt, @afterId)");
        }

        var where = conditions.Count == 0 ? "" : $"WHERE {string.Join(" AND ", conditions)}";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<OccurrenceRow>(new CommandDefinition(
            $"{SelectRow} {where} ORDER BY scheduled_at, id LIMIT @Take",
            new
            {
                filter.AssigneeId,
                filter.CadenceId,
                filter.OpportunityId,
                filter.Status,
                filter.From,
                filter.To,
                afterAt = filter.After?.ScheduledAt,
                afterId = filter.After?.Id,
                filter.Take,
            }, cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// Applies <paramref name="act"/> under the row's lock: the occurrence as it is afterwards, and whether the act
    /// applied, was a no-op or conflicts with its status. Null when the occurrence is unknown.
    /// </summary>
    /// <param name="text">The notes of a complete, the reason of a skip.</param>
    public async Task<(OccurrenceActDecision Decision, OccurrenceRow Row)?> ActAsync(
        Guid id, OccurrenceAct act, string? text, string? actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM occurrences WHERE id = @id FOR UPDATE", new { id }, transaction, cancellationToken: cancellationToken));
        if (status is null)
        {
            return null;
        }

        var decision = act.Decide(status);
        if (decision == OccurrenceActDecision.Apply)
        {
            var completing = act == OccurrenceAct.Complete;
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE occurrences
                SET status = @status, status_reason = @reason, notes = CASE WHEN @completing THEN @notes ELSE notes END,
                    acted_by = @actor, acted_at = @now
                WHERE id = @id
                """,
                new { id, status = act.TargetStatus, reason = completing ? null : text, completing, notes = completing ? text : null, actor, now },
                transaction, cancellationToken: cancellationToken));
        }

        var row = await connection.QuerySingleAsync<OccurrenceRow>(new CommandDefinition(
            $"{SelectRow} WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (decision, row);
    }
}
