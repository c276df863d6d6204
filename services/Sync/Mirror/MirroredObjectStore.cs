using System.Buffers;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace PipelineCoach.Sync.Mirror;

/// <summary>One mirror table of <see cref="MirroredObject"/>s and the SQL projecting its typed columns.</summary>
internal sealed class MirrorTable
{
    private MirrorTable(string name, (string Column, string Expression)[] projections)
    {
        Name = name;
        var columns = string.Join(", ", projections.Select(p => p.Column));
        var expressions = string.Join(", ", projections.Select(p => p.Expression));
        var updates = string.Join(", ", projections.Select(p => $"{p.Column} = EXCLUDED.{p.Column}"));
        LockSql = $"""
            SELECT id AS Id, fields::text AS Fields, source_version AS SourceVersion, source_sequence AS SourceSequence
            FROM {name} WHERE id = ANY(@ids) ORDER BY id FOR UPDATE
            """;
        SaveSql = $"""
            INSERT INTO {name} (id, {columns}, fields, last_modified_date, system_modstamp, source_version, source_sequence, updated_at)
            SELECT r.id, {expressions}, r.fields, r.last_modified_date, r.system_modstamp, r.source_version, r.source_sequence, now()
            FROM jsonb_to_recordset(@rows::jsonb) AS r(id text, fields jsonb, last_modified_date timestamptz,
                system_modstamp timestamptz, source_version timestamptz, source_sequence integer)
            ON CONFLICT (id) DO UPDATE SET {updates}, fields = EXCLUDED.fields,
                last_modified_date = EXCLUDED.last_modified_date, system_modstamp = EXCLUDED.system_modstamp,
                source_version = EXCLUDED.source_version, source_sequence = EXCLUDED.source_sequence, updated_at = now()
            WHERE {MirrorVersion.NewerThanStoredSql(name)}
            RETURNING id
            """;
    }

    public string Name { get; }

    internal string LockSql { get; }

    internal string SaveSql { get; }

    private const string Deleted = "coalesce(r.fields->>'IsDeleted' = 'true', false)";

    private static string Bool(string field) => $"CASE r.fields->>'{field}' WHEN 'true' THEN true WHEN 'false' THEN false END";

    public static readonly MirrorTable Accounts = new("accounts",
    [
        ("name", "r.fields->>'Name'"),
        ("owner_id", "r.fields->>'OwnerId'"),
        ("parent_id", "r.fields->>'ParentId'"),
        ("industry", "r.fields->>'Industry'"),
        ("type", "r.fields->>'Type'"),
        ("is_deleted", Deleted),
    ]);

    public static readonly MirrorTable Users = new("users",
    [
        ("name", "coalesce(r.fields->>'Name', nullif(concat_ws(' ', r.fields->>'FirstName', r.fields->>'LastName'), ''))"),
        ("email", "r.fields->>'Email'"),
        ("manager_id", "r.fields->>'ManagerId'"),
        ("time_zone", "r.fields->>'TimeZoneSidKey'"),
        ("is_active", Bool("IsActive")),
    ]);

    public static readonly MirrorTable ContactRoles = new("opportunity_contact_roles",
    [
        ("opportunity_id", "r.fields->>'OpportunityId'"),
        ("contact_id", "r.fields->>'ContactId'"),
        ("role", "r.fields->>'Role'"),
        ("is_primary", "coalesce(r.fields->>'IsPrimary' = 'true', false)"),
        ("is_deleted", Deleted),
    ]);
}

/// <summary>Batched reads and writes of <see cref="MirrorTable"/>s: one query to lock, one statement to upsert.</summary>
internal static class MirroredObjectStore
{
    /// <summary>Locks and reads the stored rows (in id order, so concurrent batches queue instead of deadlocking).</summary>
    public static async Task<Dictionary<string, MirroredObject>> LockManyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, MirrorTable table, string[] ids, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<StoredRow>(new CommandDefinition(
            table.LockSql, new { ids }, transaction, cancellationToken: cancellationToken));
        var result = new Dictionary<string, MirroredObject>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            result[row.Id] = new MirroredObject
            {
                Id = row.Id,
                Fields = JsonSerializer.Deserialize<Dictionary<string, string?>>(row.Fields) is { } fields
                    ? new Dictionary<string, string?>(fields, StringComparer.Ordinal)
                    : new Dictionary<string, string?>(StringComparer.Ordinal),
                SourceVersion = new DateTimeOffset(DateTime.SpecifyKind(row.SourceVersion, DateTimeKind.Utc)),
                SourceSequence = row.SourceSequence,
            };
        }

        return result;
    }

    /// <summary>Upserts rows that are new or newer than the stored ones (<see cref="MirrorVersion"/>); returns the ids written.</summary>
    public static async Task<HashSet<string>> SaveManyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, MirrorTable table, IReadOnlyCollection<MirroredObject> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return [];
        }

        var written = await connection.QueryAsync<string>(new CommandDefinition(
            table.SaveSql, new { rows = RowsJson(records) }, transaction, cancellationToken: cancellationToken));
        return written.ToHashSet(StringComparer.Ordinal);
    }

    private static string RowsJson(IEnumerable<MirroredObject> records)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var record in records.OrderBy(r => r.Id, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("id", record.Id);
                json.WriteStartObject("fields");
                foreach (var (name, value) in record.Fields)
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
                WriteTimestamp(json, "last_modified_date", record.Timestamp("LastModifiedDate"));
                WriteTimestamp(json, "system_modstamp", record.Timestamp("SystemModstamp"));
                WriteTimestamp(json, "source_version", record.SourceVersion);
                json.WriteNumber("source_sequence", record.SourceSequence);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteTimestamp(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            json.WriteString(name, v.UtcDateTime);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private sealed class StoredRow
    {
        public string Id { get; set; } = "";
        public string Fields { get; set; } = "{}";
        public DateTime SourceVersion { get; set; }
        public int SourceSequence { get; set; }
    }
}
