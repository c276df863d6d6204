using Microsoft.Extensions.Options;
using Npgsql;

namespace PipelineCoach.Scoring.Scores;

internal sealed partial class RescoringWorker(
    NpgsqlDataSource dataSource,
    Rescorer rescorer,
    RescoringSignal signal,
    IOptions<ScoringOptions> options,
    TimeProvider timeProvider,
    ILogger<RescoringWorker> logger) : BackgroundService
{
    private DateOnly _dailyQueuedFor;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
                if (options.Value.DailyRescoring && today != _dailyQueuedFor)
                {
                    await RescoringJobs.QueueDailyAsync(dataSource, today, stoppingToken);
                    _dailyQueuedFor = today;
                }

                var job = await RescoringJobs.ClaimAsync(dataSource, options.Value.RescoringStaleAfter, stoppingToken);
                if (job is null)
                {
                    await signal.WaitAsync(options.Value.RescoringPollInterval, stoppingToken);
                    continue;
                }

                string? error = null;
                try
                {
                    await rescorer.RunAsync(job, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogJobFailed(logger, ex, job.Id);
                    error = ex.Message;
                }

                await RescoringJobs.FinishAsync(dataSource, job.Id, error, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogWorkerFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(LogLevel.Error, "Rescoring job {JobId} failed")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(LogLevel.Error, "Rescoring worker failed; retrying")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception);
}
