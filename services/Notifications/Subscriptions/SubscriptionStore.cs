using Dapper;
using Npgsql;

namespace PipelineCoach.Notifications.Subscriptions;

/// <summary>Extra subscribers to a signal, for a manager's team or the whole org. Opens its own connection for each call.</summary>
internal sealed class SubscriptionStore(NpgsqlDataSource dataSource)
{
    private const string SelectRow =
        $"""
        SELECT id AS {nameof(SubscriptionRow.Id)}, subscriber_id AS {nameof(SubscriptionRow.SubscriberId)}, signal AS {nameof(SubscriptionRow.Signal)},
               manager_id AS {nameof(SubscriptionRow.ManagerId)}, created_at AS {nameof(SubscriptionRow.CreatedAt)}
        FROM subscriptions
        """;

    /// <summary>Stores the subscription; false when the subscriber already has one for that signal and scope.</summary>
    public async Task<bool> InsertAsync(Guid id, string subscriberId, string signal, string? managerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO subscriptions (id, subscriber_id, signal, manager_id, created_at)
            VALUES (@id, @subscriberId, @signal, @managerId, @now)
            ON CONFLICT DO NOTHING
            """, new { id, subscriberId, signal, managerId, now }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Replaces a subscription's subscriber, signal and scope: true when changed, false when that would duplicate another, null when it is gone.</summary>
    public async Task<bool?> UpdateAsync(Guid id, string subscriberId, string signal, string? managerId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            return await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE subscriptions SET subscriber_id = @subscriberId, signal = @signal, manager_id = @managerId WHERE id = @id",
                new { id, subscriberId, signal, managerId }, cancellationToken: cancellationToken)) == 1 ? true : null;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return false;
        }
    }

    public async Task<SubscriptionRow?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SubscriptionRow>(new CommandDefinition(
            $"{SelectRow} WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Subscriptions in id order after <paramref name="after"/>, of one subscriber and one signal when given.</summary>
    public async Task<IReadOnlyList<SubscriptionRow>> ListAsync(string? subscriberId, string? signal, Guid? after, int take, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<SubscriptionRow>(new CommandDefinition(
            $"""
            {SelectRow}
            WHERE (@subscriberId::text IS NULL OR subscriber_id = @subscriberId) AND (@signal::text IS NULL OR signal = @signal)
              AND (@after::uuid IS NULL OR id > @after)
            ORDER BY id LIMIT @take
            """, new { subscriberId, signal, after, take }, cancellationToken: cancellationToken))];
    }

    /// <summary>False when there is no such subscription.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM subscriptions WHERE id = @id", new { id }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Who subscribed to <paramref name="signal"/> for the whole org or for a team of one of <paramref name="managerIds"/>
    /// (the subject's management chain, as the router resolved it), each once, in id order.
    /// </summary>
    public async Task<IReadOnlyList<string>> SubscribersAsync(string signal, IReadOnlyCollection<string> managerIds, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT DISTINCT subscriber_id FROM subscriptions
            WHERE signal = @signal AND (manager_id IS NULL OR manager_id = ANY(@managerIds))
            ORDER BY subscriber_id
            """, new { signal, managerIds = managerIds.ToArray() }, cancellationToken: cancellationToken))];
    }
}
