using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using PipelineCoach.Scoring.PipelineHealth;
using PipelineCoach.Scoring.Scorecards;
using PipelineCoach.ServiceDefaults.Http;

namespace PipelineCoach.Scoring.Quotas;

internal static class QuotasApi
{
    public static IEndpointRouteBuilder MapQuotasApi(this IEndpointRouteBuilder app)
    {
        var quotas = app.MapGroup("/api/v1/quotas").WithTags("Quotas");
        quotas.MapPut("/{ownerId}/{period}", PutAsync).RequireAuthorization(ScoringScopes.Write).Validate<QuotaRequest>();
        quotas.MapGet("/{ownerId}/{period}", GetAsync).RequireAuthorization(ScoringScopes.Read);

        var targets = app.MapGroup("/api/v1/reps/{ownerId}/target-accounts").WithTags("Target accounts");
        targets.MapPut("", PutTargetsAsync).RequireAuthorization(ScoringScopes.Write).Validate<TargetAccountsRequest>();
        targets.MapGet("", GetTargetsAsync).RequireAuthorization(ScoringScopes.Read);
        return app;
    }

    private static ValidationProblem BadPeriod() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["period"] = ["Use a fiscal quarter such as 2026-Q4."] });

    private static async Task<Results<Ok<QuotaView>, ValidationProblem>> PutAsync(string ownerId, string period, QuotaRequest request, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, TimeProvider timeProvider, IOptions<PipelineHealthOptions> options, CancellationToken cancellationToken)
    {
        if (!FiscalPeriod.TryParse(period, options.Value.FiscalYearStartMonth, out var fiscal))
        {
            return BadPeriod();
        }

        var now = timeProvider.GetUtcNow();
        var actor = ScorecardsApi.Actor(user);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO quotas (owner_id, period, amount, updated_at, updated_by) VALUES (@ownerId, @period, @Amount, @now, @actor)
            ON CONFLICT (owner_id, period) DO UPDATE SET amount = EXCLUDED.amount, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
            """, new { ownerId, period, request.Amount, now, actor }, cancellationToken: cancellationToken));
        return TypedResults.Ok(new QuotaView(ownerId, period, request.Amount!.Value, fiscal.Start, fiscal.End, now, actor));
    }

    private static async Task<Results<Ok<QuotaView>, NotFound, ValidationProblem>> GetAsync(string ownerId, string period,
        NpgsqlDataSource dataSource, IOptions<PipelineHealthOptions> options, CancellationToken cancellationToken)
    {
        if (!FiscalPeriod.TryParse(period, options.Value.FiscalYearStartMonth, out var fiscal))
        {
            return BadPeriod();
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(decimal Amount, DateTime UpdatedAt, string? UpdatedBy)?>(new CommandDefinition(
            "SELECT amount, updated_at, updated_by FROM quotas WHERE owner_id = @ownerId::bpchar AND period = @period",
            new { ownerId, period }, cancellationToken: cancellationToken));
        return row is { } quota
            ? TypedResults.Ok(new QuotaView(ownerId, period, quota.Amount, fiscal.Start, fiscal.End, Scores.ScoresApi.Utc(quota.UpdatedAt), quota.UpdatedBy))
            : TypedResults.NotFound();
    }

    private static async Task<Ok<IReadOnlyList<TargetAccount>>> PutTargetsAsync(string ownerId, TargetAccountsRequest request,
        NpgsqlDataSource dataSource, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var accounts = request.Accounts!;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM target_accounts WHERE owner_id = @ownerId::bpchar", new { ownerId }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO target_accounts (owner_id, account_id, name, added_at)
            SELECT @ownerId, a, n, @now FROM unnest(@ids, @names) AS t(a, n)
            """,
            new { ownerId, ids = accounts.Select(a => a.AccountId).ToArray(), names = accounts.Select(a => a.Name ?? "").ToArray(), now = timeProvider.GetUtcNow() },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(accounts);
    }

    private static async Task<Ok<IReadOnlyList<TargetAccount>>> GetTargetsAsync(string ownerId, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string AccountId, string? Name)>(new CommandDefinition(
            "SELECT account_id, name FROM target_accounts WHERE owner_id = @ownerId::bpchar ORDER BY account_id", new { ownerId }, cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<TargetAccount>>([.. rows.Select(r => new TargetAccount(r.AccountId, string.IsNullOrEmpty(r.Name) ? null : r.Name))]);
    }
}
