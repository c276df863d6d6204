using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace PipelineCoach.ServiceDefaults.Data;

public static class DataExtensions
{
    /// <summary>Registers one pooled <see cref="NpgsqlDataSource"/> for the service's own database.</summary>
    public static IServiceCollection AddServiceDatabase(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
            builder.UseLoggerFactory(sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>());
            return builder.Build();
        });
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<UnitOfWorkFactory>();
        return services;
    }
}
