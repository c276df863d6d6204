using Dapper;
using Npgsql;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Sync.Reconciliation;

/// <summary>One re-read request as read by the reconciler; <see cref="RequestedAt"/> tells whether it was raised again since.</summary>
public sealed record RefetchRequest(string ObjectName, string RecordId, DateTime RequestedAt);

/// <summary>
/// Re-read requests raised by CDC gap events, served by the reconciler. They are read without a lock (the reconcile
/// advisory lock already keeps a second reconciler away) and deleted with the results they asked for, only if not
/// raised again meanwhile: a request raised again while its record was being read keeps its newer time and is served
/// by the next run, because the read may predate the change it stands for.
/// </summary>
public static class RefetchRequests
{
    public const string WholeObject = "*";

    public static Task AddAsync(UnitOfWork work, string objectName, IReadOnlyList<string> recordIds, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO refetch_requests (object_name, record_id)
            SELECT @objectName, id FROM unnest(@recordIds) AS id ORDER BY id
            ON CONFLICT (object_name, record_id) DO UPDATE SET requested_at = EXCLUDED.requested_at
            """,
            new { objectName, recordIds = recordIds.Distinct(StringComparer.Ordinal).ToArray() }, work.Transaction, cancellationToken: cancellationToken));

    public static async Task<IReadOnlyList<RefetchRequest>> PendingAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<RefetchRequest>(new CommandDefinition(
            "SELECT object_name AS ObjectName, record_id AS RecordId, requested_at AS RequestedAt FROM refetch_requests ORDER BY object_name, record_id",
            cancellationToken: cancellationToken))];
    }

    /// <summary>Deletes the served requests that were not raised again since they were read (in the caller's transaction).</summary>
    public static Task DoneAsync(UnitOfWork work, IEnumerable<RefetchRequest> served, CancellationToken cancellationToken)
    {
        var requests = served.OrderBy(r => r.ObjectName, StringComparer.Ordinal).ThenBy(r => r.RecordId, StringComparer.Ordinal).ToList();
        return work.Connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM refetch_requests AS r
            USING unnest(@objects, @ids, @times) AS d(object_name, record_id, requested_at)
            WHERE r.object_name = d.object_name AND r.record_id = d.record_id AND r.requested_at = d.requested_at
            """,
            new
            {
                objects = requests.Select(r => r.ObjectName).ToArray(),
                ids = requests.Select(r => r.RecordId).ToArray(),
                times = requests.Select(r => DateTime.SpecifyKind(r.RequestedAt, DateTimeKind.Utc)).ToArray(),
            },
            work.Transaction, cancellationToken: cancellationToken));
    }
}
