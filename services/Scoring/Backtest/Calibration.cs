using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using Npgsql;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scores;

namespace PipelineCoach.Scoring.Backtest;

/// <summary>
/// What a scorecard version's grades have really won in this org: the backtest over the deals closed since a day,
/// each replayed as it stood while open. The score API reads the per-grade estimates from a copy kept for
/// <see cref="RefreshAfter"/>, since closed deals change slowly and a replay reads every one of them.
/// </summary>
internal sealed class Calibration(NpgsqlDataSource dataSource, OpportunityScorer scorer, TimeProvider timeProvider)
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<(string Id, int Version), (BacktestReport Report, DateTimeOffset At)> _recent = new();

    /// <summary>Replays <paramref name="scorecard"/> over the deals closed since <paramref name="since"/> (default two years).</summary>
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
        var report = ScorecardBacktest.Replay(scorecard, closed);
        if (since is null)
        {
            _recent[(scorecard.Id, scorecard.Version)] = (report, timeProvider.GetUtcNow());
        }

        return report;
    }

    /// <summary>
    /// The win probability of a grade: the org's own estimate when its history is thick enough (basis
    /// <c>estimated</c>), else the scorecard's stated figure (basis <c>stated</c>), else none.
    /// </summary>
    public async Task<(double? Probability, string? Basis)> WinProbabilityAsync(CompiledScorecard scorecard, string grade, CancellationToken cancellationToken)
    {
        var report = _recent.TryGetValue((scorecard.Id, scorecard.Version), out var kept) && timeProvider.GetUtcNow() - kept.At < RefreshAfter
            ? kept.Report
            : await ReplayAsync(scorecard, since: null, cancellationToken);
        var outcome = report.Grades.FirstOrDefault(g => g.Grade == grade);
        return outcome?.EstimatedWinProbability is { } estimated ? (estimated, WinProbabilityBasis.Estimated)
            : outcome?.StatedWinProbability is { } stated ? (stated, WinProbabilityBasis.Stated)
            : (null, null);
    }
}

/// <summary>Where a score's win probability comes from.</summary>
internal static class WinProbabilityBasis
{
    /// <summary>Estimated from the org's own closed deals in that grade.</summary>
    public const string Estimated = "estimated";

    /// <summary>The scorecard's stated figure: the org's history is too thin for an estimate of its own.</summary>
    public const string Stated = "stated";
}
