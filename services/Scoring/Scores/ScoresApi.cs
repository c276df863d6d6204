using PipelineCoach.ServiceDefaults.Http;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Scoring.Backtest;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;

namespace PipelineCoach.Scoring.Scores;

internal static class ScoresApi
{
    public static RouteGroupBuilder MapScoresApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/opportunities/{id}/score").WithTags("Scores").RequireAuthorization(ScoringScopes.Read);
        group.MapGet("", GetAsync);
        group.MapGet("/history", HistoryAsync);
        return group;
    }

    private static async Task<Results<Ok<OpportunityScoresView>, NotFound>> GetAsync(string id, NpgsqlDataSource dataSource,
        ScorecardCatalog catalog, Calibration calibration, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var stored = await ScoreStore.ForOpportunityAsync(connection, id, cancellationToken);
        if (stored.Count == 0)
        {
            return TypedResults.NotFound();
        }

        var snapshot = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT snapshot::text FROM opportunities WHERE id = @id::bpchar AND NOT is_deleted", new { id }, cancellationToken: cancellationToken));
        var message = snapshot is null ? null : JsonSerializer.Deserialize(snapshot, ScoringJson.Default.OpportunityChanged);
        var views = new List<ScoreView>();
        foreach (var score in stored)
        {
            var detail = await DetailAsync(connection, catalog, score, message, cancellationToken);
            var scorecard = await catalog.GetAsync(score.ScorecardId, score.ScorecardVersion, cancellationToken);
            // At the deal's stage now: the stored snapshot is the one scored.
            var (winProbability, basis) = scorecard is null ? (detail?.WinProbability, null)
                : await calibration.WinProbabilityAsync(scorecard, score.EffectiveGrade, message?.Opportunity.StageName, cancellationToken);
            views.Add(new ScoreView(score.ScorecardId, score.ScorecardVersion, score.EffectiveScore, score.EffectiveGrade, score.Flags,
                score.Score, score.Grade,
                score.OverrideScore is { } overridden
                    ? new ManagerOverrideView(overridden, score.OverrideGrade!, score.OverrideReason!, score.OverrideBy, Utc(score.OverrideAt!.Value))
                    : null,
                Utc(score.SourceVersion), score.AsOf, Utc(score.ScoredAt), winProbability, basis,
                detail?.Criteria ?? [], detail?.Flags ?? [],
                Readiness.Of(score.Statuses), scorecard is null ? [] : MissingCriterion.Of(scorecard, score.Statuses)));
        }

        return TypedResults.Ok(new OpportunityScoresView(id, views));
    }

    /// <summary>
    /// The evidence of the current score: recomputed from the stored snapshot (scoring is deterministic for the same
    /// snapshot, scorecard version and as-of day), or, if that no longer reproduces the stored score, the breakdown
    /// recorded with the latest history row.
    /// </summary>
    private static async Task<ScoreSnapshot?> DetailAsync(NpgsqlConnection connection, ScorecardCatalog catalog, StoredScore score,
        OpportunityChanged? message, CancellationToken cancellationToken)
    {
        var scorecard = await catalog.GetAsync(score.ScorecardId, score.ScorecardVersion, cancellationToken);
        if (scorecard is not null && message is not null)
        {
            var recomputed = scorecard.Evaluate(message, score.AsOf);
            if (recomputed.Score == score.Score && recomputed.RaisedFlags.SequenceEqual(score.Flags))
            {
                return recomputed;
            }
        }

        var row = await connection.QuerySingleOrDefaultAsync<ScoreHistoryRow>(new CommandDefinition(
            """
            SELECT id AS Id, scorecard_id AS ScorecardId, scorecard_version AS ScorecardVersion, source_version AS SourceVersion,
                   score AS Score, grade AS Grade, detail::text AS Detail
            FROM score_history
            WHERE opportunity_id = @OpportunityId::bpchar AND scorecard_id = @ScorecardId AND detail IS NOT NULL
            ORDER BY id DESC LIMIT 1
            """, new { score.OpportunityId, score.ScorecardId }, cancellationToken: cancellationToken));
        return row is null ? null : await BreakdownAsync(catalog, score.OpportunityId, row, cancellationToken);
    }

    /// <summary>A history row's breakdown as a full snapshot: compact ones are completed from their scorecard version.</summary>
    private static async Task<ScoreSnapshot?> BreakdownAsync(ScorecardCatalog catalog, string opportunityId, ScoreHistoryRow row, CancellationToken cancellationToken)
    {
        if (row.Detail is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(row.Detail);
        if (!ScoreBreakdown.IsCompact(document.RootElement))
        {
            return document.RootElement.Deserialize<ScoreSnapshot>(FullBreakdownJson.Options);
        }

        var scorecard = await catalog.GetAsync(row.ScorecardId, row.ScorecardVersion, cancellationToken);
        return scorecard is null ? null
            : ScoreBreakdown.Read(document.RootElement, scorecard, opportunityId, Utc(row.SourceVersion), row.Score, row.Grade);
    }

    private static async Task<Results<Ok<Page<ScoreHistoryView>>, ValidationProblem>> HistoryAsync(string id, string? cursor, int? limit,
        NpgsqlDataSource dataSource, ScorecardCatalog catalog, CancellationToken cancellationToken)
    {
        long? before = null;
        if (cursor is not null)
        {
            if (!long.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = ["Not a cursor returned by this API."] });
            }

            before = parsed;
        }

        var take = Math.Clamp(limit ?? 50, 1, 200);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await ScoreStore.HistoryAsync(connection, id, before, take + 1, cancellationToken);
        var items = new List<ScoreHistoryView>(Math.Min(take, rows.Count));
        foreach (var row in rows.Take(take))
        {
            items.Add(new ScoreHistoryView(row.Id, row.ScorecardId, row.ScorecardVersion, row.Kind,
                Utc(row.SourceVersion), row.Score, row.Grade, row.Flags, row.PreviousScore, row.PreviousGrade, row.Reasons, row.Actor,
                Utc(row.RecordedAt), await BreakdownAsync(catalog, id, row, cancellationToken)));
        }

        var next = rows.Count > take ? items[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new Page<ScoreHistoryView>(items, next));
    }

    internal static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
