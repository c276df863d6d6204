using Dapper;
using Npgsql;

namespace PipelineCoach.Scoring.Scores;

internal static class RescoringJobs
{
    private const string Columns = """
        id AS Id, scorecard_id AS ScorecardId, scorecard_version AS ScorecardVersion, status AS Status, total AS Total,
        processed AS Processed, changed AS Changed, error AS Error, created_at AS CreatedAt, started_at AS StartedAt, finished_at AS FinishedAt,
        reason AS Reason
        """;

    /// <summary>The reason of the daily as-of refresh jobs; the others are scorecard activations.</summary>
    public const string DailyReason = "daily";

    public static async Task<Guid> QueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string scorecardId, int version, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO rescoring_jobs (id, scorecard_id, scorecard_version, status) VALUES (@id, @scorecardId, @version, 'queued')",
            new { id, scorecardId, version }, transaction, cancellationToken: cancellationToken));
        return id;
    }

    public static async Task<RescoringJob?> GetAsync(NpgsqlDataSource dataSource, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<RescoringJob>(new CommandDefinition(
            $"SELECT {Columns} FROM rescoring_jobs WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Claims the oldest queued job, or a running one whose worker stopped beating (it died); instances share the
    /// queue with SKIP LOCKED. Running a job again is safe: writes are version-guarded and changes are judged
    /// against the scores as they are then.
    /// </summary>
    public static async Task<RescoringJob?> ClaimAsync(NpgsqlDataSource dataSource, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<RescoringJob>(new CommandDefinition(
            $"""
            UPDATE rescoring_jobs SET status = 'running', started_at = now(), heartbeat_at = now(), processed = 0, changed = 0
            WHERE id = (SELECT id FROM rescoring_jobs
                        WHERE status = 'queued' OR (status = 'running' AND COALESCE(heartbeat_at, started_at) < now() - @staleAfter)
                        ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING {Columns}
            """, new { staleAfter }, cancellationToken: cancellationToken));
    }

    /// <summary>Queues today's refresh of every active scorecard once (scores are as-of a day: deals age into flags).</summary>
    public static async Task<int> QueueDailyAsync(NpgsqlDataSource dataSource, DateOnly day, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO rescoring_jobs (id, scorecard_id, scorecard_version, status, reason, day)
            SELECT gen_random_uuid(), scorecard_id, version, 'queued', 'daily', @day FROM scorecard_activations
            ON CONFLICT (scorecard_id, day) WHERE reason = 'daily' DO NOTHING
            """, new { day }, cancellationToken: cancellationToken));
    }

    public static async Task FinishAsync(NpgsqlDataSource dataSource, Guid id, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE rescoring_jobs SET status = @status, error = @error, finished_at = now() WHERE id = @id",
            new { id, status = error is null ? "completed" : "failed", error }, cancellationToken: cancellationToken));
    }
}
