using Microsoft.Extensions.Options;

namespace PipelineCoach.Scoring.PipelineHealth;

internal sealed partial class PipelineHealthMonitor(PipelineHealthService health, IOptions<PipelineHealthOptions> options, ILogger<PipelineHealthMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.MonitorEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.EvaluationInterval);
        do
        {
            try
            {
                await health.EvaluateAllAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogEvaluationFailed(logger, ex);
            }
        }
        while (await NextTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(LogLevel.Error, "Pipeline health evaluation failed; trying again at the next interval")]
    private static partial void LogEvaluationFailed(ILogger logger, Exception exception);
}
