using PipelineCoach.Sync.Salesforce;
using PipelineCoach.Sync.Tasks;
using PipelineCoach.Sync.WriteBack;

namespace PipelineCoach.Sync.Reconciliation;

public static class SalesforcePullExtensions
{
    /// <summary>Everything that calls Salesforce: the client, reconciliation, the initial load, score write-back and Task creation.</summary>
    public static IServiceCollection AddSalesforcePull(this IServiceCollection services)
    {
        services.AddSalesforceClient();
        services.AddOptions<ReconcileOptions>().BindConfiguration(ReconcileOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WriteBackOptions>().BindConfiguration(WriteBackOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SyncRunStore>();
        services.AddSingleton<InitialLoader>();
        services.AddSingleton<Reconciler>();
        services.AddSingleton<ReconcileTrigger>();
        services.AddHostedService<ReconcileService>();
        services.AddSingleton<ScoreWriter>();
        services.AddSingleton<WriteBackSignal>();
        services.AddHostedService<WriteBackService>();
        services.AddOptions<TaskOptions>().BindConfiguration(TaskOptions.Section);
        services.AddSingleton<SalesforceTaskCreator>();
        return services;
    }
}
