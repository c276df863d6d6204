using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace PipelineCoach.ServiceDefaults.Data;

/// <summary>
/// Applies migrations before the rest of the host starts (it is registered first, and hosts start their services
/// in registration order), when <see cref="DatabaseOptions.MigrateOnStart"/> is set.
/// </summary>
internal sealed class MigrationHostedService(DatabaseMigrator migrator, IOptions<DatabaseOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.MigrateOnStart ? migrator.MigrateAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
