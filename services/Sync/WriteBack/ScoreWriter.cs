using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.WriteBack;

public sealed record WriteBackResult(int Sent, int Written, int Retrying, int Failed);

/// <summary>
/// Writes queued scores to Salesforce through sObject Collections: up to 200 records per call, <c>allOrNone=false</c>,
/// each record's outcome handled on its own (written, retried later with back-off, or failed after
/// <see cref="WriteBackOptions.MaxAttempts"/>). Calls carry <c>Sforce-Call-Options: client=pipeline-coach</c>, so the
/// echo of our write is recognised (changeOrigin) and never rescored into a loop. Rows are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c> so several instances share the queue.
/// </summary>
public sealed class ScoreWriter(NpgsqlDataSource dataSource, ISalesforceApi api, IOptions<WriteBackOptions> options, TimeProvider time)
{
    public async Task<WriteBackResult> WriteBatchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Pending>(new CommandDefinition(
            """
            SELECT opportunity_id AS OpportunityId, score AS Score, grade AS Grade, flags AS Flags, revision AS Revision,
                   attempts AS Attempts
            FROM score_writebacks
            WHERE status = 'pending' AND next_attempt_at <= @now
            ORDER BY next_attempt_at
            LIMIT @batch
            FOR UPDATE SKIP LOCKED
            """,
            new { now = time.GetUtcNow(), batch = settings.BatchSize }, transaction, cancellationToken: cancellationToken))).AsList();
        if (rows.Count == 0)
        {
            return new WriteBackResult(0, 0, 0, 0);
        }

        var request = new CollectionRequest(false, [.. rows.Select(row => new Dictionary<string, object?>
        {
            ["attributes"] = new Dictionary<string, string> { ["type"] = "Opportunity" },
            ["id"] = row.OpportunityId,
            [settings.ScoreField] = row.Score,
            [settings.GradeField] = row.Grade,
            [settings.FlagsField] = row.Flags,
        })]);

        List<SaveResult> results;
        try
        {
            results = await api.UpdateCollectionAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The whole call failed (after the client's own retries): every record waits and tries again.
            foreach (var row in rows)
            {
                await RetryLaterAsync(connection, transaction, row, ex.Message, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            throw;
        }

        int written = 0, retrying = 0, failed = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            // Results come back in request order, one per record.
            var result = i < results.Count ? results[i] : new SaveResult(null, false, [new SalesforceError("MISSING_RESULT", "No result returned for this record.", null)]);
            if (result.Success)
            {
                written++;
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE score_writebacks SET status = 'written', written_at = now(), last_error = NULL, updated_at = now() WHERE opportunity_id = @OpportunityId::bpchar AND revision = @Revision",
                    rows[i], transaction, cancellationToken: cancellationToken));
            }
            else if (rows[i].Attempts + 1 >= settings.MaxAttempts || IsPermanent(result))
            {
                failed++;
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE score_writebacks SET status = 'failed', attempts = attempts + 1, last_error = @error, updated_at = now() WHERE opportunity_id = @id::bpchar AND revision = @revision",
                    new { id = rows[i].OpportunityId, revision = rows[i].Revision, error = Describe(result) }, transaction, cancellationToken: cancellationToken));
            }
            else
            {
                retrying++;
                await RetryLaterAsync(connection, transaction, rows[i], Describe(result), cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new WriteBackResult(rows.Count, written, retrying, failed);
    }

    private Task RetryLaterAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Pending row, string error, CancellationToken cancellationToken)
    {
        var delay = options.Value.RetryDelay * Math.Pow(2, Math.Min(row.Attempts, 10)) * (0.8 + (Random.Shared.NextDouble() * 0.4));
        return connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE score_writebacks SET attempts = attempts + 1, last_error = @error, next_attempt_at = @next, updated_at = now()
            WHERE opportunity_id = @id::bpchar AND revision = @revision
            """,
            new { id = row.OpportunityId, revision = row.Revision, error, next = time.GetUtcNow() + delay },
            transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Errors that another attempt cannot fix.</summary>
    private static bool IsPermanent(SaveResult result) => result.Errors.Any(e => e.StatusCode is
        "ENTITY_IS_DELETED" or "INVALID_FIELD" or "INVALID_ID_FIELD" or "MALFORMED_ID" or "INSUFFICIENT_ACCESS_OR_READONLY" or
        "INVALID_FIELD_FOR_INSERT_UPDATE" or "NOT_FOUND");

    private static string Describe(SaveResult result) =>
        string.Join("; ", result.Errors.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.StatusCode}: {e.Message}")));

    private sealed record Pending(string OpportunityId, int Score, string Grade, string Flags, long Revision, int Attempts);
}
