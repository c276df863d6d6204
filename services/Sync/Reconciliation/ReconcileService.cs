using Microsoft.Extensions.Options;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Reconciliation;

/// <summary>Lets the API ask for a reconciliation now instead of at the next interval.</summary>
public sealed class ReconcileTrigger : PipelineCoach.ServiceDefaults.Messaging.WakeSignal
{
    public void Request() => Notify();
}

/// <summary>Runs <see cref="Reconciler"/> every interval (and on request) while the Salesforce API is configured.</summary>
public sealed partial class ReconcileService(
    Reconciler reconciler,
    ReconcileTrigger trigger,
    IOptions<ReconcileOptions> options,
    IOptions<SalesforceApiOptions> api,
    ILogger<ReconcileService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!api.Value.IsEnabled || !options.Value.Enabled)
        {
            LogDisabled(logger);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await reconciler.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The run is recorded as failed in sync_runs; the next interval tries again.
                LogFailed(logger, ex);
            }

            try
            {
                await trigger.WaitAsync(options.Value.Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Background reconciliation is off (Salesforce:Api:LoginUrl not set, or Sync:Reconcile:Enabled false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciliation failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
