using Dapper;
using Npgsql;

namespace PipelineCoach.Sync.Reconciliation;

public sealed record Watermark(string ObjectName, DateTimeOffset? Value, DateTimeOffset? DeletesCheckedUntil);

public sealed record SyncRun(long Id, string Kind, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Status, int Records, int Changes, int Deletes, string? Error);

/// <summary>Watermarks per object and the log of reconciliation / initial-load runs.</summary>
public sealed class SyncRunStore(NpgsqlDataSource dataSource)
{
    public async Task<Watermark> GetWatermarkAsync(string objectName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(DateTime? Value, DateTime? Deletes)>(new CommandDefinition(
            "SELECT watermark, deletes_checked_until FROM sync_watermarks WHERE object_name = @objectName",
            new { objectName }, cancellationToken: cancellationToken));
        return new Watermark(objectName, Utc(row.Value), Utc(row.Deletes));
    }

    public static Task SaveWatermarkAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string objectName,
        DateTimeOffset? watermark, DateTimeOffset? deletesCheckedUntil, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sync_watermarks (object_name, watermark, deletes_checked_until, updated_at)
            VALUES (@objectName, @watermark, @deletesCheckedUntil, now())
            ON CONFLICT (object_name) DO UPDATE SET
                watermark = GREATEST(sync_watermarks.watermark, EXCLUDED.watermark),
                deletes_checked_until = GREATEST(sync_watermarks.deletes_checked_until, EXCLUDED.deletes_checked_until),
                updated_at = now()
            """,
            new { objectName, watermark, deletesCheckedUntil }, transaction, cancellationToken: cancellationToken));

    public async Task<long> StartRunAsync(string kind, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO sync_runs (kind, started_at, status) VALUES (@kind, @startedAt, 'running') RETURNING id",
            new { kind, startedAt }, cancellationToken: cancellationToken));
    }

    public async Task FinishRunAsync(long id, DateTimeOffset finishedAt, string status, int records, int changes, int deletes, string? error)
    {
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            """
            UPDATE sync_runs SET finished_at = @finishedAt, status = @status, records = @records, changes = @changes,
                deletes = @deletes, error = @error
            WHERE id = @id
            """,
            new { id, finishedAt, status, records, changes, deletes, error });
    }

    public async Task<IReadOnlyList<SyncRun>> RecentRunsAsync(int count, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, string Kind, DateTime StartedAt, DateTime? FinishedAt, string Status, int Records, int Changes, int Deletes, string? Error)>(
            new CommandDefinition(
                "SELECT id, kind, started_at, finished_at, status, records, changes, deletes, error FROM sync_runs ORDER BY id DESC LIMIT @count",
                new { count }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new SyncRun(r.Id, r.Kind, Utc(r.StartedAt)!.Value, Utc(r.FinishedAt), r.Status, r.Records, r.Changes, r.Deletes, r.Error))];
    }

    public async Task<IReadOnlyList<Watermark>> WatermarksAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Name, DateTime? Value, DateTime? Deletes)>(new CommandDefinition(
            "SELECT object_name, watermark, deletes_checked_until FROM sync_watermarks ORDER BY object_name", cancellationToken: cancellationToken));
        return [.. rows.Select(r => new Watermark(r.Name, Utc(r.Value), Utc(r.Deletes)))];
    }

    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
