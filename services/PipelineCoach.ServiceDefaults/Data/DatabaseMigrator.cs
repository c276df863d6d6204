using System.Reflection;
using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PipelineCoach.ServiceDefaults.Data;

/// <summary>
/// Applies the numbered <c>Migrations/*.sql</c> scripts embedded in ServiceDefaults (outbox, inbox) and in the
/// service with DbUp, ServiceDefaults' first. A PostgreSQL advisory lock serialises instances that start together.
/// </summary>
public sealed class DatabaseMigrator(
    NpgsqlDataSource dataSource,
    Microsoft.Extensions.Options.IOptions<DatabaseOptions> options,
    ServiceInfo service,
    ILogger<DatabaseMigrator> logger)
{
    // Any constant works; it only has to be the same for every instance of every service.
    private const long MigrationLockKey = 0x5049_5045_4C4E_4543; // "PIPELNEC"

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            take.Parameters.AddWithValue("key", MigrationLockKey);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            // ServiceDefaults' scripts (outbox, inbox) always run first, then the service's, each group in the order of
            // its numbered names. DbUp would otherwise sort all scripts by resource name across assemblies, and a
            // service whose namespace sorts before "ServiceDefaults" (Scoring, Cadence, Notifications) would run first.
            var engine = DeployChanges.To
                // The data source hides the password from its ConnectionString, so DbUp gets the configured one.
                .PostgresqlDatabase(options.Value.ConnectionString)
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, IsMigration, new SqlScriptOptions { RunGroupOrder = 0 })
                .WithScriptsEmbeddedInAssembly(service.Assembly, IsMigration, new SqlScriptOptions { RunGroupOrder = 1 })
                .WithTransactionPerScript()
                .LogTo(new DbUpLogger(logger))
                .Build();

            var result = engine.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration {result.ErrorScript?.Name ?? "(connecting)"} failed: {result.Error?.Message}", result.Error);
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", MigrationLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static bool IsMigration(string name) =>
        name.Contains(".Migrations.", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal);

    private sealed class DbUpLogger(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace("{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        public void LogDebug(string format, params object[] args) => logger.LogDebug("{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        public void LogInformation(string format, params object[] args) => logger.LogInformation("{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        public void LogWarning(string format, params object[] args) => logger.LogWarning("{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        public void LogError(string format, params object[] args) => logger.LogError("{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, "{Message}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }
}
