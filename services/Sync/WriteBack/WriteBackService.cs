using Microsoft.Extensions.Options;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.WriteBack;

/// <summary>Drains the write-back queue whenever scores arrive, pausing while the API allowance is exhausted.</summary>
public sealed partial class WriteBackService(
    ScoreWriter writer,
    WriteBackSignal signal,
    IOptions<WriteBackOptions> options,
    IOptions<SalesforceApiOptions> api,
    TimeProvider time,
    ILogger<WriteBackService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!api.Value.IsEnabled || !options.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var pause = options.Value.PollInterval;
            try
            {
                var result = await writer.WriteBatchAsync(stoppingToken);
                if (result.Sent == options.Value.BatchSize)
                {
                    continue; // more is waiting
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (SalesforceLimitExceededException ex)
            {
                LogPaused(logger, ex.Until);
                pause = ex.Until - time.GetUtcNow();
            }
            catch (Exception ex)
            {
                LogFailed(logger, ex);
            }

            try
            {
                await signal.WaitAsync(pause > TimeSpan.Zero ? pause : options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Salesforce API allowance exhausted; score write-back paused until {Until}")]
    private static partial void LogPaused(ILogger logger, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Error, Message = "Score write-back call failed; records will be retried")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
