using Microsoft.AspNetCore.Http.HttpResults;
using PipelineCoach.Scoring.Scorecards;

namespace PipelineCoach.Scoring.Backtest;

internal static class BacktestApi
{
    public static RouteHandlerBuilder MapBacktestApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/scorecards/{id}/backtest", BacktestAsync).WithTags("Scorecards").RequireAuthorization(ScoringScopes.Read);

    /// <summary>
    /// Replays a scorecard version (the active one, else the latest) over the deals closed since <c>since</c> (default two
    /// years), each scored as it last looked while open, and reports how well the grades separated won from lost,
    /// overall and per stage of the ladder. Always replays now: the report scores read is kept by <see cref="Calibration"/>.
    /// </summary>
    private static async Task<Results<Ok<BacktestReport>, NotFound>> BacktestAsync(string id, int? version, DateOnly? since,
        ScorecardStore store, ScorecardCatalog catalog, Calibration calibration, CancellationToken cancellationToken)
    {
        var chosen = version ?? await store.ActiveVersionAsync(id, cancellationToken) ?? (await store.GetAsync(id, null, cancellationToken))?.Version;
        var scorecard = chosen is null ? null : await catalog.GetAsync(id, chosen.Value, cancellationToken);
        if (scorecard is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await calibration.ReplayAsync(scorecard, since, cancellationToken));
    }
}
