using Dapper;
using Npgsql;

namespace PipelineCoach.Cadence.Cadences;

/// <summary>
/// Cadence definitions. Opens its own connections from the data source; each write is one transaction that also
/// brings the cadence's occurrences in line (a changed schedule drops its future unclaimed slots, a deleted cadence
/// retires its pending ones), so the ledger never fires what the API no longer shows.
/// </summary>
internal sealed class CadenceStore(NpgsqlDataSource dataSource)
{
    private const string SelectRow =
        $"""
        SELECT id AS {nameof(CadenceRow.Id)}, definition::text AS {nameof(CadenceRow.Definition)},
               created_at AS {nameof(CadenceRow.CreatedAt)}, updated_at AS {nameof(CadenceRow.UpdatedAt)}
        FROM cadences
        """;

    public async Task InsertAsync(Guid id, CadenceDefinition definition, string? actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cadences (id, kind, name, definition, is_recurring, target_type, target_id, created_at, created_by, updated_at, updated_by)
            VALUES (@id, @kind, @name, @json::jsonb, @isRecurring, @targetType, @targetId, @now, @actor, @now, @actor)
            """, Parameters(id, definition, actor, now), cancellationToken: cancellationToken));
    }

    public async Task<CadenceRow?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CadenceRow>(new CommandDefinition(
            $"{SelectRow} WHERE id = @id AND deleted_at IS NULL", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Live cadences in id order (ids are version 7: creation order), after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<CadenceRow>> ListAsync(Guid? after, int take, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<CadenceRow>(new CommandDefinition(
            $"{SelectRow} WHERE deleted_at IS NULL AND (@after::uuid IS NULL OR id > @after) ORDER BY id LIMIT @take",
            new { after, take }, cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// Replaces the definition and, in the same transaction, deletes the cadence's future slots that are still
    /// scheduled and not leased by a claimer, and clears its horizon: the materializer rebuilds them from the new
    /// schedule. False when the cadence is unknown or deleted.
    /// </summary>
    public async Task<bool> UpdateAsync(Guid id, CadenceDefinition definition, string? actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE cadences
            SET kind = @kind, name = @name, definition = @json::jsonb, is_recurring = @isRecurring, target_type = @targetType,
                target_id = @targetId, materialized_until = NULL, updated_at = @now, updated_by = @actor
            WHERE id = @id AND deleted_at IS NULL
            """, Parameters(id, definition, actor, now), transaction, cancellationToken: cancellationToken));
        if (updated == 0)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM occurrences
            WHERE cadence_id = @id AND status = 'scheduled' AND scheduled_at > @now AND (claimed_by IS NULL OR lease_until < @now)
            """, new { id, now }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Marks the cadence deleted and retires its pending occurrences in one transaction; false when unknown or already deleted.</summary>
    public async Task<bool> DeleteAsync(Guid id, string? actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE cadences SET deleted_at = @now, updated_at = @now, updated_by = @actor WHERE id = @id AND deleted_at IS NULL",
            new { id, now, actor }, transaction, cancellationToken: cancellationToken));
        if (deleted == 0)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE occurrences SET status = 'retired', status_reason = 'cadence-deleted' WHERE cadence_id = @id AND status IN ('scheduled', 'due')",
            new { id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The user's time zone as UserChanged last gave it; null when the user or their zone is not known yet.</summary>
    public async Task<string?> TimeZoneOfAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT time_zone FROM users WHERE user_id = @userId", new { userId }, cancellationToken: cancellationToken));
    }

    private static object Parameters(Guid id, CadenceDefinition definition, string? actor, DateTimeOffset now) => new
    {
        id,
        kind = definition.Kind,
        name = definition.Name,
        json = CadenceJson.Serialize(definition),
        isRecurring = definition.IsRecurring,
        targetType = definition.Target?.Type,
        targetId = definition.Target?.AssigneeId,
        actor,
        now,
    };
}
