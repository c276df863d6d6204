using Dapper;
using Npgsql;
using PipelineCoach.Scoring.Engine;

namespace PipelineCoach.Scoring.Scorecards;

/// <summary>Scorecard versions (immutable rows) and which version of each is active.</summary>
internal sealed class ScorecardStore(NpgsqlDataSource dataSource)
{
    /// <summary>Stores a new version; false when that id and version already exist (versions are immutable).</summary>
    public static async Task<bool> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Scorecard scorecard, string? actor, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO scorecards (id, version, name, definition, created_by)
            VALUES (@Id, @Version, @Name, @definition::jsonb, @actor)
            ON CONFLICT DO NOTHING
            """,
            new { scorecard.Id, scorecard.Version, scorecard.Name, definition = ScorecardJson.Serialize(scorecard), actor },
            transaction, cancellationToken: cancellationToken)) == 1;

    public async Task<bool> InsertAsync(Scorecard scorecard, string? actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await InsertAsync(connection, null, scorecard, actor, cancellationToken);
    }

    /// <summary>Scorecards ordered by id, after <paramref name="afterId"/> (keyset pagination).</summary>
    public async Task<IReadOnlyList<ScorecardSummaryRow>> ListAsync(string? afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ScorecardSummaryRow>(new CommandDefinition(
            """
            SELECT s.id AS Id, (array_agg(s.name ORDER BY s.version DESC))[1] AS Name, max(s.version) AS LatestVersion,
                   a.version AS ActiveVersion, count(*)::int AS Versions
            FROM scorecards s LEFT JOIN scorecard_activations a ON a.scorecard_id = s.id
            WHERE @afterId::text IS NULL OR s.id > @afterId
            GROUP BY s.id, a.version
            ORDER BY s.id
            LIMIT @limit
            """, new { afterId, limit }, cancellationToken: cancellationToken));
        return [.. rows];
    }

    public async Task<IReadOnlyList<ScorecardVersionRow>> VersionsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ScorecardVersionRow>(new CommandDefinition(
            """
            SELECT s.id AS Id, s.version AS Version, s.name AS Name, s.created_at AS CreatedAt, s.created_by AS CreatedBy,
                   (a.version IS NOT NULL) AS IsActive
            FROM scorecards s LEFT JOIN scorecard_activations a ON a.scorecard_id = s.id AND a.version = s.version
            WHERE s.id = @id ORDER BY s.version
            """, new { id }, cancellationToken: cancellationToken));
        return [.. rows];
    }

    /// <summary>A version's definition (the latest when <paramref name="version"/> is null), or null.</summary>
    public async Task<Scorecard?> GetAsync(string id, int? version, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var json = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            SELECT definition::text FROM scorecards
            WHERE id = @id AND (@version::int IS NULL OR version = @version)
            ORDER BY version DESC LIMIT 1
            """, new { id, version }, cancellationToken: cancellationToken));
        return json is null ? null : ScorecardJson.Deserialize(json);
    }

    public async Task<int?> ActiveVersionAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT version FROM scorecard_activations WHERE scorecard_id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public static Task ActivateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string id, int version, string? actor, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO scorecard_activations (scorecard_id, version, activated_by) VALUES (@id, @version, @actor)
            ON CONFLICT (scorecard_id) DO UPDATE SET version = EXCLUDED.version, activated_at = now(), activated_by = EXCLUDED.activated_by
            """, new { id, version, actor }, transaction, cancellationToken: cancellationToken));

    public async Task<bool> DeactivateAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM scorecard_activations WHERE scorecard_id = @id", new { id }, cancellationToken: cancellationToken)) == 1;
    }
}
