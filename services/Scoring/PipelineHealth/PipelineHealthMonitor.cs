using Microsoft.Extensions.Options;
using Npgsql;

namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>
/// Every <see cref="PipelineHealthOptions.EvaluationInterval"/>: refreshes the org's stage norms scoring uses
/// (<see cref="StageNorms"/>, on every instance, whether or not the monitor announces) and, when
/// <see cref="PipelineHealthOptions.MonitorEnabled"/>, evaluates health to announce crossed thresholds.
/// </summary>
internal sealed partial class PipelineHealthMonitor(
    PipelineHealthService health,
    StageNorms stageNorms,
    NpgsqlDataSource dataSource,
    IOptions<PipelineHealthOptions> options,
    ILogger<PipelineHealthMonitor> logger) : BackgroundService
{
    /// <summary>
    /// Takes the norms before the services registered later start, the rescoring worker among them, so that the first
    /// daily rescoring after a start already scores with the org's figures.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshStageNormsAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.EvaluationInterval);
        await EvaluateAsync(stoppingToken);
        while (await NextTickAsync(timer, stoppingToken))
        {
            await RefreshStageNormsAsync(stoppingToken);
            await EvaluateAsync(stoppingToken);
        }
    }

    private async Task RefreshStageNormsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var durations = await health.StageDurationsAsync(connection, cancellationToken);
            if (stageNorms.Update(durations))
            {
                var norms = stageNorms.Current;
                LogStageNormsChanged(logger, norms.Generation,
                    norms.DaysByStage.Count == 0 ? "none" : string.Join(", ", norms.DaysByStage.Select(entry => $"{entry.Key} {entry.Value} d")));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStageNormsFailed(logger, ex);
        }
    }

    private async Task EvaluateAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.MonitorEnabled)
        {
            return;
        }

        try
        {
            await health.EvaluateAllAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogEvaluationFailed(logger, ex);
        }
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

    [LoggerMessage(LogLevel.Information, "Stage norms from the org's closed deals now (generation {Generation}): {Norms}")]
    private static partial void LogStageNormsChanged(ILogger logger, long generation, string norms);

    [LoggerMessage(LogLevel.Error, "Refreshing the stage norms failed; scoring keeps the last figures and tries again at the next interval")]
    private static partial void LogStageNormsFailed(ILogger logger, Exception exception);
}
