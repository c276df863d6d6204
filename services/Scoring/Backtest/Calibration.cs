using System.Text.Json;
using Dapper;
using Npgsql;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scores;

namespace PipelineCoach.Scoring.Backtest;

/// <summary>
/// What a scorecard version's grades have really won in this org: the backtest over the deals closed since a day,
/// each replayed as it stood while open. The score API reads its estimates (per grade, and per stage and grade) from
/// a report kept per scorecard version, since closed deals change slowly and a replay reads every one of them: a
/// report <see cref="RefreshAfter"/> old is still answered from while a new one is replayed in the background, and
/// requests that find none yet wait for the one replay under way (see <see cref="StaleWhileRevalidateCache{TKey, TValue}"/>).
/// </summary>
internal sealed class Calibration(NpgsqlDataSource dataSource, OpportunityScorer scorer, TimeProvider timeProvider,
    IHostApplicationLifetime lifetime, ILogger<Calibration> logger)
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromHours(1);

    /// <summary>How long a kept report stands after a background replay failed, before the next one is tried.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(5);

    private readonly StaleWhileRevalidateCache<(string Id, int Version), BacktestReport> _reports =
        new(RefreshAfter, RetryAfterFailure, timeProvider, logger, lifetime.ApplicationStopping);

    /// <summary>Replays <paramref name="scorecard"/> over the deals closed since <paramref name="since"/> (default two years), now.</summary>
    public async Task<BacktestReport> ReplayAsync(CompiledScorecard scorecard, DateOnly? since, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Snapshot, bool IsWon, DateOnly? CloseDate)>(new CommandDefinition(
            """
            SELECT COALESCE(last_open_snapshot, snapshot)::text, is_won, close_date
            FROM opportunities
            WHERE NOT is_deleted AND is_closed AND close_date >= @since
            ORDER BY id
            """, new { since = since ?? scorer.Today().AddYears(-2) }, cancellationToken: cancellationToken));

        // A deal the mirror never saw open is replayed from an open snapshot rebuilt from its closed one.
        var stages = scorecard.Definition.Stages;
        var closed = rows.Select(row => ClosedOpportunity.From(
            JsonSerializer.Deserialize(row.Snapshot, ScoringJson.Default.OpportunityChanged)!, row.IsWon, row.CloseDate, stages));
        return ScorecardBacktest.Replay(scorecard, closed);
    }

    /// <summary>
    /// The report the score API reads (the default two years): the kept one, however old, while a stale one is
    /// refreshed in the background; the replay under way (started if none) when none is kept yet.
    /// </summary>
    public Task<BacktestReport> KeptReportAsync(CompiledScorecard scorecard, CancellationToken cancellationToken) =>
        _reports.GetAsync((scorecard.Id, scorecard.Version), token => ReplayAsync(scorecard, since: null, token), cancellationToken);

    /// <summary>The win probability of a grade at a stage (null: the stage is not known) from the kept report; see <see cref="WinProbability"/>.</summary>
    public async Task<(double? Probability, string? Basis)> WinProbabilityAsync(CompiledScorecard scorecard, string grade, string? stage,
        CancellationToken cancellationToken) =>
        WinProbability(await KeptReportAsync(scorecard, cancellationToken), grade, stage);

    /// <summary>
    /// The win probability of a grade at a stage, from the most specific figure the org's history supports: the
    /// grade's estimate at that stage (basis <c>estimated-for-stage</c>), else the grade's estimate across stages
    /// (<c>estimated</c>), else the scorecard's stated figure (<c>stated</c>), else none.
    /// </summary>
    public static (double? Probability, string? Basis) WinProbability(BacktestReport report, string grade, string? stage)
    {
        ArgumentNullException.ThrowIfNull(report);
        var cell = stage is null ? null
            : report.Stages.FirstOrDefault(s => string.Equals(s.Stage, stage, StringComparison.OrdinalIgnoreCase))?.Grades.FirstOrDefault(g => g.Grade == grade);
        var outcome = report.Grades.FirstOrDefault(g => g.Grade == grade);
        return cell?.EstimatedWinProbability is { } forStage ? (forStage, WinProbabilityBasis.EstimatedForStage)
            : outcome?.EstimatedWinProbability is { } estimated ? (estimated, WinProbabilityBasis.Estimated)
            : outcome?.StatedWinProbability is { } stated ? (stated, WinProbabilityBasis.Stated)
            : (null, null);
    }
}

/// <summary>Where a score's win probability comes from, most specific first.</summary>
internal static class WinProbabilityBasis
{
    /// <summary>Estimated from the org's own closed deals in that grade that last stood open in the deal's stage.</summary>
    public const string EstimatedForStage = "estimated-for-stage";

    /// <summary>Estimated from the org's own closed deals in that grade, whatever their stage: too few closed at the deal's stage.</summary>
    public const string Estimated = "estimated";

    /// <summary>The scorecard's stated figure: the org's history is too thin for an estimate of its own.</summary>
    public const string Stated = "stated";
}
