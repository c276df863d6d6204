using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Scoring.Opportunities;

internal static class OpportunityReadModel
{
    /// <summary>Upserts each message's snapshot unless a newer version is stored; returns the ids written.</summary>
    public static async Task<HashSet<string>> UpsertChangedAsync(UnitOfWork work, IReadOnlyList<OpportunityChanged> messages, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO opportunities (id, owner_id, stage_name, is_deleted, source_version, snapshot, account_id, amount,
                                       is_closed, is_won, close_date, created_date, last_activity_date)
            SELECT id, owner_id, stage_name, false, source_version, snapshot::json, account_id, amount,
                   is_closed, is_won, close_date, created_date, last_activity_date
            FROM unnest(@id, @owner, @stage, @version, @snapshot, @account, @amount, @closed, @won, @close, @created, @activity)
                AS t(id, owner_id, stage_name, source_version, snapshot, account_id, amount, is_closed, is_won, close_date, created_date, last_activity_date)
            ON CONFLICT (id) DO UPDATE SET
                owner_id = EXCLUDED.owner_id, stage_name = EXCLUDED.stage_name, is_deleted = false,
                source_version = EXCLUDED.source_version, snapshot = EXCLUDED.snapshot, account_id = EXCLUDED.account_id,
                amount = EXCLUDED.amount, is_won = EXCLUDED.is_won, close_date = EXCLUDED.close_date,
                created_date = EXCLUDED.created_date, last_activity_date = EXCLUDED.last_activity_date,
                -- The backtest scores a closed deal as it last looked while open.
                last_open_snapshot = CASE WHEN NOT EXCLUDED.is_closed THEN NULL
                                          WHEN opportunities.is_closed THEN opportunities.last_open_snapshot
                                          ELSE opportunities.snapshot END,
                is_closed = EXCLUDED.is_closed,
                updated_at = now()
            WHERE {SourceVersionRule.Sql("opportunities.source_version", "EXCLUDED.source_version")}
            RETURNING id
            """, work.Connection, work.Transaction);
        var o = messages.Select(m => m.Opportunity).ToArray();
        command.Parameters.Add(new NpgsqlParameter<string[]>("id", messages.Select(m => m.OpportunityId).ToArray()));
        command.Parameters.Add(Nullable("owner", o.Select(x => x.OwnerId), NpgsqlDbType.Text));
        command.Parameters.Add(Nullable("stage", o.Select(x => x.StageName), NpgsqlDbType.Text));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("version", messages.Select(m => m.SourceVersion.ToUniversalTime()).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("snapshot", messages.Select(m => JsonSerializer.Serialize(m, ScoringJson.Default.OpportunityChanged)).ToArray()));
        command.Parameters.Add(Nullable("account", o.Select(x => x.AccountId), NpgsqlDbType.Text));
        command.Parameters.Add(Nullable("amount", o.Select(x => x.Amount), NpgsqlDbType.Numeric));
        command.Parameters.Add(new NpgsqlParameter<bool[]>("closed", o.Select(x => x.IsClosed == true).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<bool[]>("won", o.Select(x => x.IsWon == true).ToArray()));
        command.Parameters.Add(Nullable("close", o.Select(x => x.CloseDate), NpgsqlDbType.Date));
        command.Parameters.Add(Nullable("created", o.Select(x => x.CreatedDate is { } c ? DateOnly.FromDateTime(c.UtcDateTime) : (DateOnly?)null), NpgsqlDbType.Date));
        command.Parameters.Add(Nullable("activity", o.Select(x => x.LastActivityDate), NpgsqlDbType.Date));
        var applied = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(reader.GetString(0));
        }

        return applied;
    }

    private static NpgsqlParameter Nullable<T>(string name, IEnumerable<T> values, NpgsqlDbType type) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.Select(v => v is null ? (object)DBNull.Value : v).ToArray() };

    public static async Task<bool> MarkDeletedAsync(UnitOfWork work, string id, DateTimeOffset sourceVersion, CancellationToken cancellationToken) =>
        await work.Connection.ExecuteAsync(new CommandDefinition(
            $$"""
            INSERT INTO opportunities (id, is_deleted, source_version, snapshot) VALUES (@id, true, @sourceVersion, '{}')
            ON CONFLICT (id) DO UPDATE SET is_deleted = true, source_version = EXCLUDED.source_version, updated_at = now()
            WHERE {{SourceVersionRule.Sql("opportunities.source_version", "EXCLUDED.source_version")}}
            """,
            new { id, sourceVersion = sourceVersion.ToUniversalTime() }, work.Transaction, cancellationToken: cancellationToken)) == 1;

    public static async Task RecordChangesAsync(UnitOfWork work,
        IReadOnlyList<(Guid MessageId, string OpportunityId, string Kind, DateTimeOffset SourceVersion, bool Applied)> changes,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO opportunity_changes (message_id, opportunity_id, kind, source_version, applied)
            SELECT * FROM unnest(@m, @o, @k, @v, @a)
            ON CONFLICT (message_id) DO NOTHING
            """, work.Connection, work.Transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("m", changes.Select(c => c.MessageId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("o", changes.Select(c => c.OpportunityId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("k", changes.Select(c => c.Kind).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("v", changes.Select(c => c.SourceVersion.ToUniversalTime()).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<bool[]>("a", changes.Select(c => c.Applied).ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
