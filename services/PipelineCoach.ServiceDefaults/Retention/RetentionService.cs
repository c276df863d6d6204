using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace PipelineCoach.ServiceDefaults.Retention;

/// <summary>
/// Deletes expired rows of every <see cref="RetainedTable"/> in bounded batches. Only one instance of a service prunes
/// at a time (a PostgreSQL advisory lock held for the pass; the others skip it). Its work and its failures are counted
/// apart from dispatch: <c>retention_rows_deleted_total{table}</c> and <c>retention_failures_total</c>.
/// </summary>
public sealed partial class RetentionService(
    NpgsqlDataSource dataSource,
    IEnumerable<RetainedTable> tables,
    IOptions<RetentionOptions> options,
    TimeProvider timeProvider,
    ServiceInfo service,
    IMeterFactory meterFactory,
    ILogger<RetentionService> logger) : BackgroundService
{
    public const string MeterName = "PipelineCoach.Retention";

    /// <summary>The advisory lock a pass holds (any constant works: each service has its own database).</summary>
    public const long LockKey = 0x5043_5245_5445_4E54; // "PCRETENT"

    private readonly Counter<long> _deleted = meterFactory.Create(MeterName).CreateCounter<long>("retention.rows.deleted");
    private readonly Counter<long> _failures = meterFactory.Create(MeterName).CreateCounter<long>("retention.failures");
    private readonly RetainedTable[] _tables = [.. tables.DistinctBy(t => t.Table, StringComparer.Ordinal)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (options.Value.Enabled && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PruneOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _failures.Add(1, new KeyValuePair<string, object?>("service", service.Name));
                LogPruneFailed(logger, ex);
            }

            await Task.Delay(options.Value.Interval, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// One pass over every table, if no other instance is pruning. Returns the rows deleted per table, or null when
    /// another instance holds the lock.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>?> PruneOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await TryLockAsync(connection, cancellationToken))
        {
            return null;
        }

        try
        {
            var now = timeProvider.GetUtcNow();
            var result = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var table in _tables)
            {
                var deleted = await PruneTableAsync(connection, table, now - options.Value.PeriodOf(table.Table), cancellationToken);
                result[table.Table] = deleted;
                if (deleted > 0)
                {
                    LogPruned(logger, deleted, table.Table);
                }
            }

            return result;
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlock.Parameters.AddWithValue("key", LockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task<long> PruneTableAsync(NpgsqlConnection connection, RetainedTable table, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var batchSize = options.Value.BatchSize;
        var tableName = Quote(table.Table);
        var column = Quote(table.TimestampColumn);
        // Each statement commits on its own (autocommit): a long clean-up never holds one big transaction.
        await using var command = new NpgsqlCommand(
            // Oldest first along the timestamp's index, so each batch starts where the last one ended instead of re-reading
            // the dead rows it left (until vacuum); the outer test re-checks rows that changed in between.
            $"DELETE FROM {tableName} WHERE ctid = ANY(ARRAY(SELECT ctid FROM {tableName} WHERE {column} < @before ORDER BY {column} LIMIT @batchSize)) AND {column} < @before",
            connection);
        command.Parameters.AddWithValue("before", before);
        command.Parameters.AddWithValue("batchSize", batchSize);
        long total = 0;
        int deleted;
        do
        {
            deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            _deleted.Add(deleted, new KeyValuePair<string, object?>("service", service.Name), new KeyValuePair<string, object?>("table", table.Table));
        }
        while (deleted >= batchSize && !cancellationToken.IsCancellationRequested);

        return total;
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", LockKey);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention removed {Rows} rows from {Table}")]
    private static partial void LogPruned(ILogger logger, long rows, string table);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention pass failed; it runs again at the next interval")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
