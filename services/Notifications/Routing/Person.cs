using Dapper;
using Npgsql;

namespace PipelineCoach.Notifications.Routing;

/// <summary>A recipient as the directory (<c>UserChanged</c>) has them.</summary>
internal sealed class Person
{
    public string UserId { get; set; } = "";

    public string? Name { get; set; }

    public string? Email { get; set; }

    public string? ManagerId { get; set; }

    public string? TimeZone { get; set; }

    public bool IsActive { get; set; }

    /// <summary>The given users and their managers up to <c>2</c> levels up, as the hierarchy stands now.</summary>
    public static async Task<Dictionary<string, Person>> WithManagersAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        IEnumerable<string> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        var rows = await connection.QueryAsync<Person>(new CommandDefinition(
            """
            WITH RECURSIVE chain AS (
                SELECT user_id, name, email, manager_id, time_zone, is_active, 0 AS depth FROM recipients WHERE user_id = ANY(@ids::char(18)[])
                UNION
                SELECT r.user_id, r.name, r.email, r.manager_id, r.time_zone, r.is_active, c.depth + 1
                FROM recipients r JOIN chain c ON r.user_id = c.manager_id WHERE c.depth < 2)
            SELECT DISTINCT ON (user_id) user_id AS UserId, name AS Name, email AS Email, manager_id AS ManagerId, time_zone AS TimeZone,
                   is_active AS IsActive
            FROM chain
            """, new { ids }, transaction, cancellationToken: cancellationToken));
        return rows.ToDictionary(p => p.UserId.Trim());
    }

    /// <summary><paramref name="userId"/> and up to two managers above, from the person upward.</summary>
    public static List<string> Chain(string userId, IReadOnlyDictionary<string, Person> people)
    {
        var chain = new List<string> { userId };
        var current = userId;
        for (var level = 0; level < 2 && people.TryGetValue(current, out var person) && person.ManagerId is { } manager; level++)
        {
            chain.Add(manager.Trim());
            current = manager.Trim();
        }

        return chain;
    }
}
