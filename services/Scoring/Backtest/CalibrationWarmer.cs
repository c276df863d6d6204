using Npgsql;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;

namespace PipelineCoach.Scoring.Backtest;

/// <summary>
/// Replays each active scorecard's backtest once at start, in the background, so the first score request finds a
/// report kept (or the replay under way) instead of starting it. Registered after the scorecard seeder, whose start
/// seeds the defaults first.
/// </summary>
internal sealed partial class CalibrationWarmer(NpgsqlDataSource dataSource, ScorecardCatalog catalog, Calibration calibration,
    ILogger<CalibrationWarmer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            IReadOnlyList<CompiledScorecard> active;
            await using (var connection = await dataSource.OpenConnectionAsync(stoppingToken))
            {
                active = await catalog.ActiveAsync(connection, transaction: null, stoppingToken);
            }

            foreach (var scorecard in active)
            {
                await calibration.KeptReportAsync(scorecard, stoppingToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not fatal: the first score request replays instead.
            LogWarmingFailed(logger, ex);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Replaying the backtests at start failed; the first score request of each scorecard replays instead")]
    private static partial void LogWarmingFailed(ILogger logger, Exception exception);
}
