using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using nietras.SeparatedValues;
using Npgsql;
using NpgsqlTypes;
using PipelineCoach.ServiceDefaults.Data;
using PipelineCoach.ServiceDefaults.Messaging;
using PipelineCoach.Sync.Mirror;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Reconciliation;

public sealed record InitialLoadResult(int Records, int Applied, DateTimeOffset? Watermark);

/// <summary>
/// Loads every opportunity of the org with a Bulk API 2.0 query job: the CSV results are streamed chunk by chunk
/// (<c>Sforce-Locator</c>), written to PostgreSQL with binary COPY into a staging table and merged into the mirror
/// with the usual version guard; an <c>OpportunityChanged</c> (source <c>initial-load</c>) is added to the outbox for
/// each row applied. Memory stays flat: at most one batch of rows is held at a time.
/// </summary>
public sealed partial class InitialLoader(
    ISalesforceApi api,
    UnitOfWorkFactory unitOfWork,
    IOptions<ReconcileOptions> options,
    IOptions<SalesforceOrgOptions> org,
    TimeProvider time,
    ILogger<InitialLoader> logger)
{
    private const int BatchSize = 5_000;

    public async Task<InitialLoadResult> LoadAsync(CancellationToken cancellationToken)
    {
        var fields = options.Value.OpportunityFields;
        var job = await api.CreateQueryJobAsync(new BulkJobRequest("query", $"SELECT {string.Join(", ", fields)} FROM Opportunity"), cancellationToken);
        while (job.State is "UploadComplete" or "InProgress")
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
            job = await api.GetQueryJobAsync(job.Id, cancellationToken);
        }

        if (job.State != "JobComplete")
        {
            throw new InvalidOperationException($"Bulk query job {job.Id} ended {job.State}: {job.ErrorMessage}");
        }

        int records = 0, applied = 0;
        var writing = new System.Diagnostics.Stopwatch();
        var total = System.Diagnostics.Stopwatch.StartNew();
        DateTimeOffset? watermark = null;
        string? locator = null;
        do
        {
            using var response = await api.GetQueryJobResultsAsync(job.Id, locator, options.Value.BulkChunkSize, cancellationToken);
            response.EnsureSuccessStatusCode();
            locator = response.Headers.TryGetValues("Sforce-Locator", out var values) ? values.FirstOrDefault() : null;
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var csv = await Sep.New(',').Reader(o => o with { Unescape = true }).FromAsync(stream, cancellationToken);
            var header = csv.Header.ColNames.ToArray();
            var batch = new List<OpportunityRecord>(BatchSize);
            await foreach (var row in csv)
            {
                var record = FromCsv(row, header);
                batch.Add(record);
                watermark = watermark is null || record.SourceVersion > watermark ? record.SourceVersion : watermark;
                if (batch.Count == BatchSize)
                {
                    writing.Start();
                    applied += await WriteBatchAsync(batch, cancellationToken);
                    writing.Stop();
                    records += batch.Count;
                    batch.Clear();
                }
            }

            applied += await WriteBatchAsync(batch, cancellationToken);
            records += batch.Count;
        }
        while (locator is { Length: > 0 } and not "null");

        await using (var work = await unitOfWork.BeginAsync(cancellationToken))
        {
            await SyncRunStore.SaveWatermarkAsync(work.Connection, work.Transaction, "Opportunity", watermark ?? time.GetUtcNow(), null, cancellationToken);
            await work.CommitAsync(cancellationToken);
        }

        LogLoaded(logger, records, applied, job.Id, total.Elapsed.TotalSeconds, writing.Elapsed.TotalSeconds);
        return new InitialLoadResult(records, applied, watermark);
    }

    private static OpportunityRecord FromCsv(SepReader.Row row, string[] header)
    {
        var record = new OpportunityRecord { Id = SalesforceId.Normalize(row[Array.IndexOf(header, "Id")].ToString()) };
        for (var i = 0; i < header.Length; i++)
        {
            // Bulk CSV writes null as an empty field.
            var text = row[i].Span;
            record.ApplyText(header[i], text.IsEmpty ? null : text.ToString());
        }

        record.SourceVersion = record.SystemModstamp ?? throw new FormatException("The initial-load query must select SystemModstamp.");
        return record;
    }

    /// <summary>Webhooks write the same rows meanwhile; a batch that still hits a conflict rolled back whole and is written again.</summary>
    private Task<int> WriteBatchAsync(List<OpportunityRecord> batch, CancellationToken cancellationToken) =>
        ConflictRetry.RunAsync(token => TryWriteBatchAsync(batch, token), time, logger, "Initial-load batch", cancellationToken);

    private async Task<int> TryWriteBatchAsync(List<OpportunityRecord> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            "CREATE TEMP TABLE IF NOT EXISTS staging_opportunities (LIKE opportunities INCLUDING DEFAULTS) ON COMMIT DELETE ROWS",
            transaction: work.Transaction, cancellationToken: cancellationToken));

        await using (var importer = await work.Connection.BeginBinaryImportAsync(
            """
            COPY staging_opportunities (id, name, account_id, owner_id, stage_name, amount, probability, close_date,
                forecast_category_name, next_step, last_activity_date, is_closed, is_won, created_date, last_modified_date,
                system_modstamp, custom_fields, is_deleted, source_version) FROM STDIN (FORMAT BINARY)
            """, cancellationToken))
        {
            foreach (var r in batch)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(r.Id, NpgsqlDbType.Char, cancellationToken);
                await importer.WriteNullableAsync(r.Name, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteNullableAsync(r.AccountId, NpgsqlDbType.Char, cancellationToken);
                await importer.WriteNullableAsync(r.OwnerId, NpgsqlDbType.Char, cancellationToken);
                await importer.WriteNullableAsync(r.StageName, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteNullableAsync(r.Amount, NpgsqlDbType.Numeric, cancellationToken);
                await importer.WriteNullableAsync(r.Probability, NpgsqlDbType.Numeric, cancellationToken);
                await importer.WriteNullableAsync(r.CloseDate, NpgsqlDbType.Date, cancellationToken);
                await importer.WriteNullableAsync(r.ForecastCategoryName, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteNullableAsync(r.NextStep, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteNullableAsync(r.LastActivityDate, NpgsqlDbType.Date, cancellationToken);
                await importer.WriteNullableAsync(r.IsClosed, NpgsqlDbType.Boolean, cancellationToken);
                await importer.WriteNullableAsync(r.IsWon, NpgsqlDbType.Boolean, cancellationToken);
                await importer.WriteNullableAsync(r.CreatedDate, NpgsqlDbType.TimestampTz, cancellationToken);
                await importer.WriteNullableAsync(r.LastModifiedDate, NpgsqlDbType.TimestampTz, cancellationToken);
                await importer.WriteNullableAsync(r.SystemModstamp, NpgsqlDbType.TimestampTz, cancellationToken);
                await importer.WriteAsync(JsonSerializer.Serialize(r.CustomFields), NpgsqlDbType.Jsonb, cancellationToken);
                await importer.WriteAsync(false, NpgsqlDbType.Boolean, cancellationToken);
                await importer.WriteAsync(r.SourceVersion, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        var appliedIds = (await work.Connection.QueryAsync<string>(new CommandDefinition(
            $"""
            INSERT INTO opportunities (id, name, account_id, owner_id, stage_name, amount, probability, close_date,
                forecast_category_name, next_step, last_activity_date, is_closed, is_won, created_date, last_modified_date,
                system_modstamp, custom_fields, is_deleted, source_version, source_sequence)
            SELECT id, name, account_id, owner_id, stage_name, amount, probability, close_date, forecast_category_name,
                next_step, last_activity_date, is_closed, is_won, created_date, last_modified_date, system_modstamp,
                custom_fields, is_deleted, source_version, source_sequence
            FROM staging_opportunities
            ORDER BY id -- lock rows in id order, as every other writer does, so concurrent writers queue instead of deadlocking
            ON CONFLICT (id) DO UPDATE SET
                {OpportunityStore.UpdateSalesforceFields}, is_deleted = false, source_version = EXCLUDED.source_version,
                source_sequence = EXCLUDED.source_sequence, updated_at = now()
            WHERE {MirrorVersion.NewerThanStoredSql("opportunities")}
            RETURNING id
            """,
            transaction: work.Transaction, cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);

        var organizationId = SalesforceId.Normalize(org.Value.OrganizationId);
        var now = time.GetUtcNow();
        await work.PublishManyAsync(
            [.. batch.Where(r => appliedIds.Contains(r.Id)).Select(r => (Guid.CreateVersion7(), OpportunityEvents.Changed(
                r, organizationId, "initial-load", "SNAPSHOT", [], new Dictionary<string, string?>(), now, isOwnWrite: false)))],
            cancellationToken);
        await work.CommitAsync(cancellationToken);
        return appliedIds.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Initial load read {Records} opportunities ({Applied} applied) from bulk job {JobId} in {Seconds:F1} s ({WriteSeconds:F1} s writing)")]
    private static partial void LogLoaded(ILogger logger, int records, int applied, string jobId, double seconds, double writeSeconds);
}
