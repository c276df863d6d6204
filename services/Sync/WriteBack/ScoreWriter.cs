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
/// echo of our write is recognised (changeOrigin) and never rescored into a loop.
/// </summary>
/// <remarks>
/// No transaction is open while Salesforce is called: a batch is claimed in one short statement (a lease,
/// <see cref="WriteBackOptions.LeaseDuration"/>, so several instances share the queue and a crashed writer's claim
/// expires), the call is made, and the outcome is recorded in another short transaction. Meanwhile new scores for the
/// claimed opportunities are queued as usual; an outcome is recorded only for the revision that was sent, so a newer
/// score stays pending and is written in the next round.
/// </remarks>
public sealed class ScoreWriter(NpgsqlDataSource dataSource, ISalesforceApi api, IOptions<WriteBackOptions> options, TimeProvider time)
{
    public async Task<WriteBackResult> WriteBatchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var claim = Guid.CreateVersion7();
        var rows = await ClaimAsync(claim, cancellationToken);
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
        catch (OperationCanceledException)
        {
            // Shutting down: hand the batch back now rather than when the lease runs out.
            await RecordAsync(claim, [], CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            // The whole call failed (after the client's own retries): every record waits and tries again.
            await RecordAsync(claim, [.. rows.Select(row => (row, Outcome.Retry, ex.Message))], CancellationToken.None);
            throw;
        }

        var outcomes = new List<(Pending Row, Outcome Outcome, string? Error)>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            // Results come back in request order, one per record.
            var result = i < results.Count ? results[i] : new SaveResult(null, false, [new SalesforceError("MISSING_RESULT", "No result returned for this record.", null)]);
            var outcome = result.Success ? Outcome.Written
                : rows[i].Attempts + 1 >= settings.MaxAttempts || IsPermanent(result) ? Outcome.Failed
                : Outcome.Retry;
            outcomes.Add((rows[i], outcome, result.Success ? null : Describe(result)));
        }

        await RecordAsync(claim, outcomes, cancellationToken);
        return new WriteBackResult(rows.Count, outcomes.Count(o => o.Outcome == Outcome.Written),
            outcomes.Count(o => o.Outcome == Outcome.Retry), outcomes.Count(o => o.Outcome == Outcome.Failed));
    }

    /// <summary>Leases the next due rows to this writer in one statement (its own short transaction).</summary>
    private async Task<List<Pending>> ClaimAsync(Guid claim, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Pending>(new CommandDefinition(
            """
            UPDATE score_writebacks AS w SET claimed_by = @claim, lease_until = @leaseUntil
            FROM (SELECT opportunity_id FROM score_writebacks
                  WHERE status = 'pending' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
                  ORDER BY next_attempt_at, opportunity_id
                  LIMIT @batch
                  FOR UPDATE SKIP LOCKED) AS due
            WHERE w.opportunity_id = due.opportunity_id
            RETURNING w.opportunity_id AS OpportunityId, w.score AS Score, w.grade AS Grade, w.flags AS Flags,
                      w.revision AS Revision, w.attempts AS Attempts
            """,
            new { claim, now, leaseUntil = now + options.Value.LeaseDuration, batch = options.Value.BatchSize },
            cancellationToken: cancellationToken));
        return [.. rows.OrderBy(r => r.OpportunityId, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Records each outcome for the revision that was sent (a newer score queued meanwhile stays pending), then ends
    /// the claim on every row this writer holds. Only the claim's holder records: after an expired lease was taken
    /// over, the new holder's outcome counts.
    /// </summary>
    private async Task RecordAsync(Guid claim, IReadOnlyList<(Pending Row, Outcome Outcome, string? Error)> outcomes, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (row, outcome, error) in outcomes.OrderBy(o => o.Row.OpportunityId, StringComparer.Ordinal))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                outcome switch
                {
                    Outcome.Written => "UPDATE score_writebacks SET status = 'written', written_at = now(), last_error = NULL, updated_at = now()",
                    Outcome.Failed => "UPDATE score_writebacks SET status = 'failed', attempts = attempts + 1, last_error = @error, updated_at = now()",
                    _ => "UPDATE score_writebacks SET attempts = attempts + 1, last_error = @error, next_attempt_at = @next, updated_at = now()",
                } + " WHERE opportunity_id = @id::bpchar AND revision = @revision AND claimed_by = @claim",
                new { id = row.OpportunityId, revision = row.Revision, claim, error, next = time.GetUtcNow() + RetryDelay(row) },
                transaction, cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE score_writebacks SET claimed_by = NULL, lease_until = NULL WHERE claimed_by = @claim",
            new { claim }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    private TimeSpan RetryDelay(Pending row) =>
        options.Value.RetryDelay * Math.Pow(2, Math.Min(row.Attempts, 10)) * (0.8 + (Random.Shared.NextDouble() * 0.4));

    /// <summary>Errors that another attempt cannot fix.</summary>
    private static bool IsPermanent(SaveResult result) => result.Errors.Any(e => e.StatusCode is
        "ENTITY_IS_DELETED" or "INVALID_FIELD" or "INVALID_ID_FIELD" or "MALFORMED_ID" or "INSUFFICIENT_ACCESS_OR_READONLY" or
        "INVALID_FIELD_FOR_INSERT_UPDATE" or "NOT_FOUND");

    private static string Describe(SaveResult result) =>
        string.Join("; ", result.Errors.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.StatusCode}: {e.Message}")));

    private enum Outcome
    {
        Written,
        Retry,
        Failed,
    }

    private sealed record Pending(string OpportunityId, int Score, string Grade, string Flags, long Revision, int Attempts);
}
