using System.Text.Json;
using Dapper;
using Npgsql;

namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>
/// Loads what the pure calculators need: deals with their activity days, quotas (this quarter and next), target
/// accounts, teams, closed deals with their stage history, and the stage ladder.
/// </summary>
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

    private sealed class ClosedRow
    {
        public string Id { get; init; } = "";

        public string OwnerId { get; init; } = "";

        public decimal? Amount { get; init; }

        public bool IsWon { get; init; }

        public DateOnly? CloseDate { get; init; }

        public string? StageEnteredAt { get; init; }
    }

    /// <summary>
    /// The reps' open deals, and closed or created ones recent enough to matter for the period, the next period and
    /// inflow; with the activity days recorded for open deals over the tunnel-vision window.
    /// </summary>
    public static async Task<IReadOnlyList<RepInputs>> RepsAsync(NpgsqlConnection connection, IReadOnlyCollection<string> ownerIds, FiscalPeriod period,
        DateOnly asOf, PipelineHealthOptions options, CancellationToken cancellationToken)
    {
        var next = HealthCalculator.Next(period, options);
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
                start = period.Start, end = next.End, createdSince,
            }, cancellationToken: cancellationToken))).ToList();
        var quotas = (await connection.QueryAsync<(string OwnerId, string Period, decimal Amount)>(new CommandDefinition(
            "SELECT owner_id, period, amount FROM quotas WHERE owner_id = ANY(@owners::bpchar[]) AND period = ANY(@periods)",
            new { owners = ownerIds.ToArray(), periods = new[] { period.Name, next.Name } }, cancellationToken: cancellationToken)))
            .ToDictionary(q => (q.OwnerId, q.Period), q => q.Amount);
        var targets = (await connection.QueryAsync<(string OwnerId, string AccountId, string? Name)>(new CommandDefinition(
            "SELECT owner_id, account_id, name FROM target_accounts WHERE owner_id = ANY(@owners::bpchar[]) ORDER BY owner_id, account_id",
            new { owners = ownerIds.ToArray() }, cancellationToken: cancellationToken))).ToLookup(t => t.OwnerId);
        var activity = (await connection.QueryAsync<(string OpportunityId, DateOnly Day)>(new CommandDefinition(
            """
            SELECT a.opportunity_id, a.day FROM activity_days a JOIN opportunities o ON o.id = a.opportunity_id
            WHERE o.owner_id = ANY(@owners::bpchar[]) AND NOT o.is_closed AND NOT o.is_deleted AND a.day BETWEEN @since AND @asOf
            """,
            new { owners = ownerIds.ToArray(), since = asOf.AddDays(-options.TunnelVisionWindowDays + 1), asOf }, cancellationToken: cancellationToken)))
            .ToLookup(a => a.OpportunityId, a => a.Day);
        var byOwner = deals.ToLookup(d => d.OwnerId);
        return [.. ownerIds.Select(owner => new RepInputs(owner,
            [.. byOwner[owner].Select(d => new PipelineDeal(d.Id, d.OwnerId, d.AccountId, d.Name, d.Amount ?? 0, d.StageName, d.IsClosed, d.IsWon,
                d.CloseDate, d.CreatedDate, d.LastActivityDate, d.IsQualified, [.. activity[d.Id]]))],
            quotas.TryGetValue((owner, period.Name), out var quota) ? quota : null,
            [.. targets[owner].Select(t => t.AccountId)],
            quotas.TryGetValue((owner, next.Name), out var nextQuota) ? nextQuota : null,
            null,
            targets[owner].ToDictionary(t => t.AccountId, t => t.Name, StringComparer.Ordinal)))];
    }

    /// <summary>
    /// Records each open deal's current last activity date as a day it had activity (the monitor runs every few
    /// minutes, so every day's value is seen), and forgets days older than the tunnel-vision window.
    /// </summary>
    public static async Task RecordActivityDaysAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, DateOnly asOf,
        PipelineHealthOptions options, CancellationToken cancellationToken)
    {
        var since = asOf.AddDays(-options.TunnelVisionWindowDays + 1);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO activity_days (opportunity_id, day)
            SELECT id, last_activity_date FROM opportunities
            WHERE NOT is_deleted AND NOT is_closed AND last_activity_date BETWEEN @since AND @asOf
            ON CONFLICT DO NOTHING;
            DELETE FROM activity_days WHERE day < @since;
            """, new { since, asOf }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Closed deals over the look-back with their stage history (first entry per stage), of the given owners or, when
    /// none are given, of the whole org.
    /// </summary>
    public static async Task<IReadOnlyList<ClosedDeal>> ClosedAsync(NpgsqlConnection connection, IReadOnlyCollection<string>? ownerIds, DateOnly asOf,
        PipelineHealthOptions options, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<ClosedRow>(new CommandDefinition(
            """
            SELECT id AS Id, owner_id AS OwnerId, amount AS Amount, is_won AS IsWon, close_date AS CloseDate,
                   (snapshot->'history'->'stageEnteredAt')::text AS StageEnteredAt
            FROM opportunities
            WHERE NOT is_deleted AND is_closed AND owner_id IS NOT NULL AND close_date BETWEEN @since AND @asOf
              AND (@all OR owner_id = ANY(@owners::bpchar[]))
            """,
            new { owners = ownerIds?.ToArray() ?? [], all = ownerIds is null, since = asOf.AddDays(-options.WinRateLookbackDays), asOf },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new ClosedDeal(r.Id, r.OwnerId, r.Amount ?? 0, r.IsWon, r.CloseDate, StageEntries(r.StageEnteredAt)))];
    }

    private static Dictionary<string, DateTimeOffset> StageEntries(string? json) =>
        new(string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<Dictionary<string, DateTimeOffset>>(json) ?? [], StringComparer.OrdinalIgnoreCase);

    public static async Task<IReadOnlyList<string>> TeamAsync(NpgsqlConnection connection, string managerId, CancellationToken cancellationToken) =>
        [.. await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM users WHERE manager_id = @managerId::bpchar AND is_active ORDER BY id", new { managerId }, cancellationToken: cancellationToken))];

    public static async Task<string?> ManagerOfAsync(NpgsqlConnection connection, string userId, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT manager_id FROM users WHERE id = @userId::bpchar", new { userId }, cancellationToken: cancellationToken));

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
