using Microsoft.Extensions.DependencyInjection;

namespace PipelineCoach.ServiceDefaults.Retention;

public static class RetentionExtensions
{
    /// <summary>Prunes <paramref name="table"/> once <paramref name="timestampColumn"/> is older than the retention period.</summary>
    public static IServiceCollection AddRetainedTable(this IServiceCollection services, string table, string timestampColumn) =>
        services.AddSingleton(new RetainedTable(table, timestampColumn));

    /// <summary>The clean-up every service runs: dispatched outbox rows and inbox markers, plus what the service adds.</summary>
    internal static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>()
            .BindConfiguration(RetentionOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Period > TimeSpan.Zero && o.Interval > TimeSpan.Zero && o.Tables.Values.All(p => p > TimeSpan.Zero),
                "Retention:Period, Retention:Interval and every Retention:Tables entry must be positive.")
            .ValidateOnStart();
        services.AddRetainedTable("outbox_messages", "dispatched_at");
        services.AddRetainedTable("inbox_messages", "received_at");
        services.AddSingleton<RetentionService>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionService>());
        return services;
    }
}
