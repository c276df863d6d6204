using Dapper;
using Npgsql;

namespace PipelineCoach.Cadence.Adherence;

/// <summary>Counts a manager's occurrences by kind and outcome; opens its own connection from the data source.</summary>
internal sealed class AdherenceQuery(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Per kind, over occurrences assigned to <paramref name="managerId"/> scheduled in [from, to). A slot skipped for
    /// misfire by the service (no one acted on it) never came due, so it counts nowhere.
    /// </summary>
    public async Task<IReadOnlyList<KindAdherence>> ByKindAsync(string managerId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Kind, long Due, long Held, long Skipped, long Missed)>(new CommandDefinition(
            """
            SELECT kind,
                   count(*) FILTER (WHERE status IN ('due', 'held', 'skipped', 'missed')),
                   count(*) FILTER (WHERE status = 'held'),
                   count(*) FILTER (WHERE status = 'skipped'),
                   count(*) FILTER (WHERE status = 'missed')
            FROM occurrences
            WHERE assignee_id = @managerId AND scheduled_at >= @from AND scheduled_at < @to
              AND NOT (status = 'skipped' AND status_reason = 'misfire' AND acted_by IS NULL)
            GROUP BY kind
            ORDER BY kind
            """, new { managerId, from, to }, cancellationToken: cancellationToken));
        return [.. rows.Where(r => r.Due > 0).Select(r => new KindAdherence(r.Kind, (int)r.Due, (int)r.Held, (int)r.Skipped, (int)r.Missed,
            AdherenceView.Ratio((int)r.Held, (int)r.Due)))];
    }
}
