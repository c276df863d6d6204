using Dapper;
using Npgsql;

namespace PipelineCoach.ServiceDefaults.Data;

/// <summary>
/// Claims due rows of a work table as a lease, the way every ledger of the suite hands out work to any number of
/// instances: a short transaction picks up to a batch of due, unleased rows with <c>FOR UPDATE SKIP LOCKED</c> and
/// stamps them with the claimer and a lease end. The work then runs with no transaction open; its final write checks
/// <c>claimed_by</c>, so a row whose lease ran out and was taken over is never finished twice. The table needs
/// <c>claimed_by text</c> and <c>lease_until timestamptz</c> columns.
/// </summary>
/// <param name="Table">The work table.</param>
/// <param name="Key">Its primary key column(s), e.g. <c>id</c> or <c>opportunity_id, flag</c>.</param>
/// <param name="Due">The condition of a due row, with <c>@now</c> and the caller's parameters.</param>
/// <param name="OrderBy">Which due rows go first.</param>
/// <param name="Select">The select list over the leased rows (alias columns to the row type's properties).</param>
public sealed class LeaseClaim(string Table, string Key, string Due, string OrderBy, string Select)
{
    private readonly string _sql =
        $"""
        WITH picked AS (
            SELECT {Key} FROM {Table}
            WHERE ({Due}) AND (lease_until IS NULL OR lease_until < @now)
            ORDER BY {OrderBy}
            LIMIT @batch
            FOR UPDATE SKIP LOCKED),
        leased AS (
            UPDATE {Table} t SET claimed_by = @claimedBy, lease_until = @leaseUntil
            FROM picked WHERE ({string.Join(" AND ", Key.Split(',', StringSplitOptions.TrimEntries).Select(k => $"t.{k} = picked.{k}"))})
            RETURNING t.*)
        SELECT {Select} FROM leased
        """;

    /// <summary>
    /// A claimer id telling this instance's leases apart from every other instance's (several may share a process in
    /// tests).
    /// </summary>
    public static string NewClaimerId() => $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}"[..^24];

    /// <summary>Claims up to <paramref name="batch"/> due rows for <paramref name="lease"/>; the claim commits before returning.</summary>
    public async Task<List<T>> ClaimAsync<T>(NpgsqlDataSource dataSource, string claimedBy, DateTimeOffset now, TimeSpan lease, int batch,
        CancellationToken cancellationToken, object? parameters = null)
    {
        var arguments = new DynamicParameters(parameters);
        arguments.Add("now", now.UtcDateTime);
        arguments.Add("batch", batch);
        arguments.Add("claimedBy", claimedBy);
        arguments.Add("leaseUntil", (now + lease).UtcDateTime);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = (await connection.QueryAsync<T>(new CommandDefinition(_sql, arguments, transaction, cancellationToken: cancellationToken))).AsList();
        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }
}
