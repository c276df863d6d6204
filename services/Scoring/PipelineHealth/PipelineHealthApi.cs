using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace PipelineCoach.Scoring.PipelineHealth;

internal static class PipelineHealthApi
{
    public static RouteGroupBuilder MapPipelineHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/pipeline").WithTags("Pipeline health").RequireAuthorization(ScoringScopes.Read);
        group.MapGet("/health", GetAsync);
        group.MapGet("/stage-durations", GetStageDurationsAsync);
        return group;
    }

    /// <summary>
    /// Normal days in each stage of the qualification scorecard: the median over the org's closed deals where a stage
    /// has enough samples (<c>org-history</c>), else the scorecard's <c>normalDays</c> (<c>scorecard-default</c>).
    /// </summary>
    private static async Task<Ok<IReadOnlyList<StageDuration>>> GetStageDurationsAsync(PipelineHealthService health, NpgsqlDataSource dataSource,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await health.StageDurationsAsync(connection, cancellationToken));
    }

    /// <summary>A rep's health (<c>ownerId</c>), or a manager's team with each rep (<c>managerId</c>), for a fiscal period (default: current).</summary>
    private static async Task<Results<Ok<HealthReport>, Ok<TeamHealthView>, ValidationProblem>> GetAsync(string? ownerId, string? managerId, string? period,
        PipelineHealthService health, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if ((ownerId is null) == (managerId is null))
        {
            errors["ownerId"] = ["Give either ownerId (a rep) or managerId (a team)."];
        }

        var fiscal = health.CurrentPeriod();
        if (period is not null && !FiscalPeriod.TryParse(period, health.Options.FiscalYearStartMonth, out fiscal))
        {
            errors["period"] = ["Use a fiscal quarter such as 2026-Q4."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return ownerId is not null
            ? TypedResults.Ok(await health.RepAsync(connection, ownerId, fiscal, cancellationToken))
            : TypedResults.Ok(await health.TeamAsync(connection, managerId!, fiscal, cancellationToken));
    }
}
