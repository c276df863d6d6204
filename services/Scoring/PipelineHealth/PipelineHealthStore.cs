using Dapper;
using Npgsql;

namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>Loads what the pure calculators need: deals, quotas, target accounts, teams and win-rate history.</summary>
internal static class PipelineHealthStore
{
    private sealed class DealRow
    {
        public string Id { get; init; } = "";

        public string OwnerId { get; init; } = "";

        public string? AccountId { get; init; }

        public string? Name { get; init; }

        public decimal? Amount { get; init; }

        public string? StageName { get; init; }

        public bool IsClosed { get; init; }

        public bool IsWon { get; init; }

        public DateOnly? CloseDate { get; init; }

        public DateOnly? CreatedDate { get; init; }

        public DateOnly? LastActivityDate { get; init; }

        public bool IsQualified { get; init; }
    }

    /// <summary>The reps' open deals, and closed or created ones recent enough to matter for the period and inflow.</summary>
    public static async Task<IReadOnlyList<RepInputs>> RepsAsync(NpgsqlConnection connection, IReadOnlyCollection<string> ownerIds, FiscalPeriod period,
        DateOnly asOf, PipelineHealthOptions options, CancellationToken cancellationToken)
    {
        var createdSince = asOf.AddDays(-options.InflowWindowDays * (options.InflowNormWindows + 1));
        var deals = (await connection.QueryAsync<DealRow>(new CommandDefinition(
            """
            SELECT o.id AS Id, o.owner_id AS OwnerId, o.account_id AS AccountId, o.snapshot->'opportunity'->>'name' AS Name,
                   o.amount AS Amount, o.stage_name AS StageName, o.is_closed AS IsClosed, o.is_won AS IsWon,
                   o.close_date AS CloseDate, o.created_date AS CreatedDate, o.last_activity_date AS LastActivityDate,
                   COALESCE(COALESCE(s.override_score, s.score) >= @minScore, false) AS IsQualified
            FROM opportunities o
            LEFT JOIN scores s ON s.opportunity_id = o.id AND s.scorecard_id = @scorecardId
            WHERE NOT o.is_deleted AND o.owner_id = ANY(@owners::bpchar[])
              AND (NOT o.is_closed OR o.close_date BETWEEN @start AND @end OR o.created_date >= @createdSince)
            """,
            new
            {
                owners = ownerIds.ToArray(), minScore = options.QualifiedMinScore, scorecardId = options.QualificationScorecardId,
                start = period.Start, end = period.End, createdSince,
            }, cancellationToken: cancellationToken))).ToList();
        var quotas = (await connection.QueryAsync<(string OwnerId, decimal Amount)>(new CommandDefinition(
            "SELECT owner_id, amount FROM quotas WHERE owner_id = ANY(@owners::bpchar[]) AND period = @period",
            new { owners = ownerIds.ToArray(), period = period.Name }, cancellationToken: cancellationToken))).ToDictionary(q => q.OwnerId, q => q.Amount);
        var targets = (await connection.QueryAsync<(string OwnerId, string AccountId)>(new CommandDefinition(
            "SELECT owner_id, account_id FROM target_accounts WHERE owner_id = ANY(@owners::bpchar[]) ORDER BY owner_id, account_id",
            new { owners = ownerIds.ToArray() }, cancellationToken: cancellationToken))).ToLookup(t => t.OwnerId, t => t.AccountId);
        var byOwner = deals.ToLookup(d => d.OwnerId);
        return [.. ownerIds.Select(owner => new RepInputs(owner,
            [.. byOwner[owner].Select(d => new PipelineDeal(d.Id, d.OwnerId, d.AccountId, d.Name, d.Amount ?? 0, d.StageName, d.IsClosed, d.IsWon,
                d.CloseDate, d.CreatedDate, d.LastActivityDate, d.IsQualified))],
            quotas.TryGetValue(owner, out var quota) ? quota : null,
            [.. targets[owner]]))];
    }

    public static async Task<IReadOnlyList<string>> TeamAsync(NpgsqlConnection connection, string managerId, CancellationToken cancellationToken) =>
        [.. await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM users WHERE manager_id = @managerId::bpchar AND is_active ORDER BY id", new { managerId }, cancellationToken: cancellationToken))];

    public static async Task<string?> ManagerOfAsync(NpgsqlConnection connection, string userId, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT manager_id FROM users WHERE id = @userId::bpchar", new { userId }, cancellationToken: cancellationToken));

    /// <summary>Won and closed deals of the given owners over the look-back.</summary>
    public static async Task<WinRateHistory> WinRateAsync(NpgsqlConnection connection, IReadOnlyCollection<string> ownerIds, DateOnly asOf,
        PipelineHealthOptions options, CancellationToken cancellationToken)
    {
        var (closed, won) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            """
            SELECT count(*), count(*) FILTER (WHERE is_won) FROM opportunities
            WHERE NOT is_deleted AND is_closed AND owner_id = ANY(@owners::bpchar[]) AND close_date BETWEEN @since AND @asOf
            """, new { owners = ownerIds.ToArray(), since = asOf.AddDays(-options.WinRateLookbackDays), asOf }, cancellationToken: cancellationToken));
        return new WinRateHistory((int)closed, (int)won);
    }

    /// <summary>Every rep with deals, a quota or a manager, and every manager: the subjects the monitor evaluates.</summary>
    public static async Task<(IReadOnlyList<string> Reps, IReadOnlyList<string> Managers)> SubjectsAsync(NpgsqlConnection connection, string period, CancellationToken cancellationToken)
    {
        var reps = await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT DISTINCT owner_id FROM opportunities WHERE owner_id IS NOT NULL AND NOT is_deleted AND NOT is_closed
            UNION SELECT owner_id FROM quotas WHERE period = @period
            UNION SELECT id FROM users WHERE manager_id IS NOT NULL AND is_active
            ORDER BY 1
            """, new { period }, cancellationToken: cancellationToken));
        var managers = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT manager_id FROM users WHERE manager_id IS NOT NULL AND is_active ORDER BY 1", cancellationToken: cancellationToken));
        return ([.. reps], [.. managers]);
    }
}
