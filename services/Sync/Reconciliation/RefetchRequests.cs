using Dapper;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Sync.Reconciliation;

/// <summary>Re-read requests raised by CDC gap events, drained by the reconciler.</summary>
public static class RefetchRequests
{
    public const string WholeObject = "*";

    public static Task AddAsync(UnitOfWork work, string objectName, IReadOnlyList<string> recordIds, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO refetch_requests (object_name, record_id)
            SELECT @objectName, unnest(@recordIds) ON CONFLICT DO NOTHING
            """,
            new { objectName, recordIds = recordIds.ToArray() }, work.Transaction, cancellationToken: cancellationToken));

    /// <summary>Takes every pending request (deleted in the caller's transaction, so a failed run keeps them).</summary>
    public static async Task<ILookup<string, string>> TakeAsync(UnitOfWork work, CancellationToken cancellationToken) =>
        (await work.Connection.QueryAsync<(string ObjectName, string RecordId)>(new CommandDefinition(
            "DELETE FROM refetch_requests RETURNING object_name, record_id", transaction: work.Transaction, cancellationToken: cancellationToken)))
        .ToLookup(r => r.ObjectName, r => r.RecordId, StringComparer.Ordinal);
}
