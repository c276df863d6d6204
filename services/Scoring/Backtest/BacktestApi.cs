using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using PipelineCoach.Scoring.Scorecards;
using PipelineCoach.Scoring.Scores;

namespace PipelineCoach.Scoring.Backtest;

internal static class BacktestApi
{
    public static RouteHandlerBuilder MapBacktestApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/scorecards/{id}/backtest", BacktestAsync).WithTags("Scorecards").RequireAuthorization(ScoringScopes.Read);

    /// <summary>
    /// Replays a scorecard version (the active one, else the latest) over the deals closed since <c>since</c> (default two
    /// years), each scored as it last looked while open, and reports how well the grades separated won from lost.
    /// </summary>
    private static async Task<Results<Ok<BacktestReport>, NotFound>> BacktestAsync(string id, int? version, DateOnly? since,
        ScorecardStore store, ScorecardCatalog catalog, NpgsqlDataSource dataSource, OpportunityScorer scorer, CancellationToken cancellationToken)
    {
        var chosen = version ?? await store.ActiveVersionAsync(id, cancellationToken) ?? (await store.GetAsync(id, null, cancellationToken))?.Version;
        var scorecard = chosen is null ? null : await catalog.GetAsync(id, chosen.Value, cancellationToken);
        if (scorecard is null)
        {
            return TypedResults.NotFound();
        }

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
        return TypedResults.Ok(ScorecardBacktest.Replay(scorecard, closed));
    }
}
