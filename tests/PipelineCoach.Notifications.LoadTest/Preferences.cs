using Dapper;
using Npgsql;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.LoadTest;

/// <summary>
/// Reps' preferences, varied: daily digests at 08:00 or 12:30 local, hourly digests, quiet hours (some across
/// midnight, some with their own zone), budgets from 5 to 20, and a tenth with no row at all (the defaults).
/// Written as rows of <c>recipient_preferences</c>, as the preferences API stores them.
/// </summary>
internal static class Preferences
{
    public const int DefaultBudget = 20;

    public sealed record Row(string UserId, string? QuietStart, string? QuietEnd, string? TimeZone, string Digest, string? DigestAt, int Budget);

    public static Row? For(int rep)
    {
        var budget = 5 + rep * 7 % 16;
        var id = Org.RepId(rep);
        return (rep % 10) switch
        {
            0 => new Row(id, null, null, null, "daily", "08:00", budget),
            1 => new Row(id, "20:00", "07:00", null, "daily", "12:30", budget),
            2 => new Row(id, null, null, null, "hourly", null, budget),
            3 or 4 => new Row(id, "20:00", "07:00", null, "none", null, budget),
            5 => new Row(id, "22:00", "08:00", SeedZones.All[(rep + 5) % SeedZones.All.Length], "none", null, budget),
            6 => new Row(id, "12:00", "14:00", null, "none", null, budget),
            7 => null,
            _ => new Row(id, null, null, null, "none", null, budget),
        };
    }

    /// <summary>Writes the rows; returns each rep's daily budget as it applies (the default where there is no row).</summary>
    public static async Task<Dictionary<string, int>> WriteAsync(string database, int reps)
    {
        var rows = Enumerable.Range(0, reps).Select(For).OfType<Row>().ToList();
        await using var connection = new NpgsqlConnection(database);
        await connection.ExecuteAsync(
            """
            INSERT INTO recipient_preferences (user_id, channels, quiet_start, quiet_end, time_zone, digest, digest_at, daily_budget)
            SELECT u, '{"opportunity-risk":["email"]}'::jsonb, qs::time, qe::time, tz, dg, da::time, b
            FROM unnest(@users::char(18)[], @quietStarts::text[], @quietEnds::text[], @zones::text[], @digests::text[], @digestAts::text[], @budgets::int[])
                AS x(u, qs, qe, tz, dg, da, b)
            """,
            new
            {
                users = rows.Select(r => r.UserId).ToArray(),
                quietStarts = rows.Select(r => r.QuietStart).ToArray(),
                quietEnds = rows.Select(r => r.QuietEnd).ToArray(),
                zones = rows.Select(r => r.TimeZone).ToArray(),
                digests = rows.Select(r => r.Digest).ToArray(),
                digestAts = rows.Select(r => r.DigestAt).ToArray(),
                budgets = rows.Select(r => r.Budget).ToArray(),
            });
        var budgets = Enumerable.Range(0, reps).ToDictionary(Org.RepId, _ => DefaultBudget);
        foreach (var row in rows)
        {
            budgets[row.UserId] = row.Budget;
        }

        Console.WriteLine($"# preferences: {rows.Count:N0} rows for {reps:N0} reps — daily digest {rows.Count(r => r.Digest == "daily"):N0}, hourly {rows.Count(r => r.Digest == "hourly"):N0}, "
            + $"quiet hours {rows.Count(r => r.QuietStart is not null):N0} ({rows.Count(r => r.TimeZone is not null):N0} in a zone of their own), budgets {rows.Min(r => r.Budget)}–{rows.Max(r => r.Budget)}; "
            + $"{reps - rows.Count:N0} with none (defaults: email, budget {DefaultBudget})");
        return budgets;
    }
}
