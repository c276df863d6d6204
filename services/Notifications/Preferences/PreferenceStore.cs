using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace PipelineCoach.Notifications.Preferences;

/// <summary>
/// Recipients' preferences. Opens its own connection from the data source for each call; a put is one statement.
/// A recipient without a row has <see cref="RecipientPreferences.Default"/>.
/// </summary>
internal sealed class PreferenceStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string SelectRow =
        $"""
        SELECT user_id AS {nameof(PreferenceRow.UserId)}, channels::text AS {nameof(PreferenceRow.Channels)},
               quiet_start AS {nameof(PreferenceRow.QuietStart)}, quiet_end AS {nameof(PreferenceRow.QuietEnd)},
               time_zone AS {nameof(PreferenceRow.TimeZone)}, digest AS {nameof(PreferenceRow.Digest)},
               digest_at AS {nameof(PreferenceRow.DigestAt)}, daily_budget AS {nameof(PreferenceRow.DailyBudget)}
        FROM recipient_preferences
        """;

    /// <summary>The recipient's stored preferences; null when they have none (the defaults apply).</summary>
    public async Task<RecipientPreferences?> GetAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<PreferenceRow>(new CommandDefinition(
            $"{SelectRow} WHERE user_id = @userId", new { userId }, cancellationToken: cancellationToken));
        return row?.ToPreferences();
    }

    /// <summary>Each recipient's preferences, <see cref="RecipientPreferences.Default"/> for those without a row.</summary>
    public async Task<IReadOnlyDictionary<string, RecipientPreferences>> GetManyAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, RecipientPreferences>(userIds.Count);
        if (userIds.Count > 0)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var rows = await connection.QueryAsync<PreferenceRow>(new CommandDefinition(
                $"{SelectRow} WHERE user_id = ANY(@userIds)", new { userIds = userIds.Distinct().ToArray() }, cancellationToken: cancellationToken));
            foreach (var row in rows)
            {
                found[row.UserId] = row.ToPreferences();
            }
        }

        foreach (var userId in userIds)
        {
            found.TryAdd(userId, RecipientPreferences.Default);
        }

        return found;
    }

    /// <summary>Replaces the recipient's preferences with <paramref name="preferences"/>.</summary>
    public async Task PutAsync(string userId, RecipientPreferences preferences, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO recipient_preferences (user_id, channels, quiet_start, quiet_end, time_zone, digest, digest_at, daily_budget, updated_at)
            VALUES (@userId, @channels::jsonb, @quietStart::time, @quietEnd::time, @timeZone, @digest, @digestAt::time, @budget, @now)
            ON CONFLICT (user_id) DO UPDATE SET
                channels = EXCLUDED.channels, quiet_start = EXCLUDED.quiet_start, quiet_end = EXCLUDED.quiet_end,
                time_zone = EXCLUDED.time_zone, digest = EXCLUDED.digest, digest_at = EXCLUDED.digest_at,
                daily_budget = EXCLUDED.daily_budget, updated_at = EXCLUDED.updated_at
            """,
            new
            {
                userId,
                channels = JsonSerializer.Serialize(preferences.Channels),
                // Times travel as text: Dapper has no TimeOnly parameters, and a TimeSpan would be an interval.
                quietStart = Text(preferences.QuietHours?.Start),
                quietEnd = Text(preferences.QuietHours?.End),
                timeZone = preferences.TimeZone,
                digest = preferences.Digest,
                digestAt = Text(preferences.DigestAt),
                budget = preferences.DailyInterruptionBudget,
                now = clock.GetUtcNow(),
            },
            cancellationToken: cancellationToken));
    }

    private static string? Text(TimeOnly? time) => time?.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
}
