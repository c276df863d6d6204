using System.Text.Json;
using Dapper;
using Npgsql;
using PipelineCoach.Contracts.Sync;

namespace PipelineCoach.Sync.Mirror;

/// <summary>Reads and writes the opportunity mirror.</summary>
public sealed class OpportunityStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The <c>ON CONFLICT … DO UPDATE</c> assignments of every field read from Salesforce, shared by every writer of
    /// the mirror (single save, batch save, initial load) so a new column is added once.
    /// </summary>
    internal const string UpdateSalesforceFields = """
        name = EXCLUDED.name, account_id = EXCLUDED.account_id, owner_id = EXCLUDED.owner_id,
        stage_name = EXCLUDED.stage_name, amount = EXCLUDED.amount, probability = EXCLUDED.probability,
        close_date = EXCLUDED.close_date, forecast_category_name = EXCLUDED.forecast_category_name,
        next_step = EXCLUDED.next_step, last_activity_date = EXCLUDED.last_activity_date,
        is_closed = EXCLUDED.is_closed, is_won = EXCLUDED.is_won, created_date = EXCLUDED.created_date,
        last_modified_date = EXCLUDED.last_modified_date, system_modstamp = EXCLUDED.system_modstamp,
        custom_fields = EXCLUDED.custom_fields
        """;

    private const string Columns = """
        id AS Id, name AS Name, account_id AS AccountId, owner_id AS OwnerId, stage_name AS StageName,
        amount AS Amount, probability AS Probability, close_date AS CloseDate,
        forecast_category_name AS ForecastCategoryName, next_step AS NextStep, last_activity_date AS LastActivityDate,
        is_closed AS IsClosed, is_won AS IsWon, created_date AS CreatedDate, last_modified_date AS LastModifiedDate,
        system_modstamp AS SystemModstamp, custom_fields::text AS CustomFields, is_deleted AS IsDeleted,
        source_version AS SourceVersion, source_sequence AS SourceSequence, history_summary::text AS HistorySummary
        """;

    public async Task<OpportunityRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OpportunityRow>(new CommandDefinition(
            $"SELECT {Columns} FROM opportunities WHERE id = @id::bpchar", new { id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>Live opportunities in (source version, id) order after the given keyset position.</summary>
    public async Task<IReadOnlyList<OpportunityRecord>> ListAsync(string? ownerId, string? stage, DateTimeOffset? modifiedSince,
        (DateTimeOffset Version, string Id)? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<OpportunityRow>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM opportunities
            WHERE NOT is_deleted
              AND (@ownerId::text IS NULL OR owner_id = @ownerId::bpchar)
              AND (@stage::text IS NULL OR stage_name = @stage)
              AND (@modifiedSince::timestamptz IS NULL OR source_version >= @modifiedSince)
              AND (@afterVersion::timestamptz IS NULL OR (source_version, id) > (@afterVersion, @afterId::bpchar))
            ORDER BY source_version, id
            LIMIT @limit
            """,
            new { ownerId, stage, modifiedSince, afterVersion = after?.Version, afterId = after?.Id, limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Locks and reads a row inside a transaction, so concurrent changes to one record apply one at a time.</summary>
    public static async Task<OpportunityRecord?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string id, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<OpportunityRow>(new CommandDefinition(
            $"SELECT {Columns} FROM opportunities WHERE id = @id::bpchar FOR UPDATE", new { id }, transaction, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>
    /// Inserts the row, or replaces the stored one when this is newer (<see cref="MirrorVersion"/>); returns false
    /// when the stored row is as new or newer (the write is stale and nothing changed).
    /// </summary>
    public static async Task<bool> SaveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OpportunityRecord record, CancellationToken cancellationToken)
    {
        var written = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO opportunities (id, name, account_id, owner_id, stage_name, amount, probability, close_date,
                forecast_category_name, next_step, last_activity_date, is_closed, is_won, created_date, last_modified_date,
                system_modstamp, custom_fields, is_deleted, source_version, source_sequence, history_summary, updated_at)
            VALUES (@Id, @Name, @AccountId, @OwnerId, @StageName, @Amount, @Probability, @CloseDate::date,
                @ForecastCategoryName, @NextStep, @LastActivityDate::date, @IsClosed, @IsWon, @CreatedDate, @LastModifiedDate,
                @SystemModstamp, @CustomFields::jsonb, @IsDeleted, @SourceVersion, @SourceSequence, @HistorySummary::jsonb, now())
            ON CONFLICT (id) DO UPDATE SET
                {UpdateSalesforceFields}, is_deleted = EXCLUDED.is_deleted, source_version = EXCLUDED.source_version,
                source_sequence = EXCLUDED.source_sequence, history_summary = EXCLUDED.history_summary, updated_at = now()
            WHERE {MirrorVersion.NewerThanStoredSql("opportunities")}
            """,
            OpportunityRow.From(record),
            transaction,
            cancellationToken: cancellationToken));
        return written == 1;
    }

    /// <summary>Stores a derived history summary on a row the caller has locked (derived data: no version guard).</summary>
    public static Task SaveHistoryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string id, OpportunityHistorySummary summary, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE opportunities SET history_summary = @summary::jsonb, updated_at = now() WHERE id = @id::bpchar",
            new { id, summary = JsonSerializer.Serialize(summary) }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Locks and reads many rows in one query, in id order so that concurrent batches touching the same records
    /// queue behind each other instead of deadlocking.
    /// </summary>
    public static async Task<Dictionary<string, OpportunityRecord>> LockManyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string[] ids, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<OpportunityRow>(new CommandDefinition(
            $"SELECT {Columns} FROM opportunities WHERE id = ANY(@ids::bpchar[]) ORDER BY id FOR UPDATE",
            new { ids }, transaction, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToDictionary(r => r.Id, StringComparer.Ordinal);
    }

    /// <summary>
    /// Upserts many rows in one statement; a row is written only when it is new or newer than the stored one
    /// (<see cref="MirrorVersion"/>). Returns the ids actually written.
    /// </summary>
    public static async Task<HashSet<string>> SaveManyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<OpportunityRecord> records, CancellationToken cancellationToken)
    {
        var rows = JsonSerializer.Serialize(records.Select(OpportunityRow.From).OrderBy(r => r.Id, StringComparer.Ordinal));
        var written = await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            INSERT INTO opportunities (id, name, account_id, owner_id, stage_name, amount, probability, close_date,
                forecast_category_name, next_step, last_activity_date, is_closed, is_won, created_date, last_modified_date,
                system_modstamp, custom_fields, is_deleted, source_version, source_sequence, updated_at)
            SELECT r."Id", r."Name", r."AccountId", r."OwnerId", r."StageName", r."Amount", r."Probability", r."CloseDate"::date,
                r."ForecastCategoryName", r."NextStep", r."LastActivityDate"::date, r."IsClosed", r."IsWon", r."CreatedDate",
                r."LastModifiedDate", r."SystemModstamp", r."CustomFields"::jsonb, r."IsDeleted", r."SourceVersion", r."SourceSequence", now()
            FROM jsonb_to_recordset(@rows::jsonb) AS r("Id" text, "Name" text, "AccountId" text, "OwnerId" text,
                "StageName" text, "Amount" numeric, "Probability" numeric, "CloseDate" timestamp, "ForecastCategoryName" text,
                "NextStep" text, "LastActivityDate" timestamp, "IsClosed" boolean, "IsWon" boolean, "CreatedDate" timestamptz,
                "LastModifiedDate" timestamptz, "SystemModstamp" timestamptz, "CustomFields" text, "IsDeleted" boolean,
                "SourceVersion" timestamptz, "SourceSequence" integer)
            ON CONFLICT (id) DO UPDATE SET
                {UpdateSalesforceFields}, is_deleted = EXCLUDED.is_deleted,
                source_version = EXCLUDED.source_version, source_sequence = EXCLUDED.source_sequence, updated_at = now()
            WHERE {MirrorVersion.NewerThanStoredSql("opportunities")}
            RETURNING id
            """,
            new { rows },
            transaction,
            cancellationToken: cancellationToken));
        return written.ToHashSet(StringComparer.Ordinal);
    }

    private sealed class OpportunityRow
    {
        public string Id { get; set; } = "";
        public string? Name { get; set; }
        public string? AccountId { get; set; }
        public string? OwnerId { get; set; }
        public string? StageName { get; set; }
        public decimal? Amount { get; set; }
        public decimal? Probability { get; set; }
        public DateTime? CloseDate { get; set; }
        public string? ForecastCategoryName { get; set; }
        public string? NextStep { get; set; }
        public DateTime? LastActivityDate { get; set; }
        public bool? IsClosed { get; set; }
        public bool? IsWon { get; set; }
        public DateTime? CreatedDate { get; set; }
        public DateTime? LastModifiedDate { get; set; }
        public DateTime? SystemModstamp { get; set; }
        public string CustomFields { get; set; } = "{}";
        public bool IsDeleted { get; set; }
        public DateTime SourceVersion { get; set; }
        public int SourceSequence { get; set; }
        public string? HistorySummary { get; set; }

        public static OpportunityRow From(OpportunityRecord r) => new()
        {
            Id = r.Id,
            Name = r.Name,
            AccountId = r.AccountId,
            OwnerId = r.OwnerId,
            StageName = r.StageName,
            Amount = r.Amount,
            Probability = r.Probability,
            CloseDate = r.CloseDate?.ToDateTime(TimeOnly.MinValue),
            ForecastCategoryName = r.ForecastCategoryName,
            NextStep = r.NextStep,
            LastActivityDate = r.LastActivityDate?.ToDateTime(TimeOnly.MinValue),
            IsClosed = r.IsClosed,
            IsWon = r.IsWon,
            CreatedDate = r.CreatedDate?.UtcDateTime,
            LastModifiedDate = r.LastModifiedDate?.UtcDateTime,
            SystemModstamp = r.SystemModstamp?.UtcDateTime,
            CustomFields = JsonSerializer.Serialize(r.CustomFields),
            IsDeleted = r.IsDeleted,
            SourceVersion = r.SourceVersion.UtcDateTime,
            SourceSequence = r.SourceSequence,
            HistorySummary = r.History is null ? null : JsonSerializer.Serialize(r.History),
        };

        public OpportunityRecord ToRecord()
        {
            var record = new OpportunityRecord
            {
                Id = Id,
                Name = Name,
                AccountId = AccountId,
                OwnerId = OwnerId,
                StageName = StageName,
                Amount = Amount,
                Probability = Probability,
                CloseDate = CloseDate is { } c ? DateOnly.FromDateTime(c) : null,
                ForecastCategoryName = ForecastCategoryName,
                NextStep = NextStep,
                LastActivityDate = LastActivityDate is { } l ? DateOnly.FromDateTime(l) : null,
                IsClosed = IsClosed,
                IsWon = IsWon,
                CreatedDate = Utc(CreatedDate),
                LastModifiedDate = Utc(LastModifiedDate),
                SystemModstamp = Utc(SystemModstamp),
                IsDeleted = IsDeleted,
                SourceVersion = Utc(SourceVersion)!.Value,
                SourceSequence = SourceSequence,
                History = HistorySummary is null ? null : JsonSerializer.Deserialize<OpportunityHistorySummary>(HistorySummary),
            };
            foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(CustomFields) ?? [])
            {
                record.CustomFields[name] = value;
            }

            return record;
        }

        private static DateTimeOffset? Utc(DateTime? value) =>
            value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
    }
}
