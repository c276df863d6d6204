using System.Collections.Concurrent;
using Cronos;
using PipelineCoach.Notifications.Preferences;

namespace PipelineCoach.Notifications.Routing;

/// <summary>
/// When held items go out, in the recipient's own zone. Local times come from Cronos, so a digest at 02:30 on the
/// night clocks spring forward goes at the first instant after the gap and one in the repeated hour goes once.
/// </summary>
internal static class HoldTimes
{
    private static readonly ConcurrentDictionary<TimeOnly, CronExpression> Daily = new();
    private static readonly CronExpression TopOfHour = CronExpression.Parse("0 * * * *");

    /// <summary>The next instant, strictly after <paramref name="after"/>, when local clocks in <paramref name="zone"/> show <paramref name="at"/>.</summary>
    public static DateTimeOffset NextLocal(TimeOnly at, TimeZoneInfo zone, DateTimeOffset after) =>
        Daily.GetOrAdd(at, t => CronExpression.Parse($"{t.Minute} {t.Hour} * * *")).GetNextOccurrence(after, zone)!.Value;

    public static bool InQuietHours(RecipientPreferences preferences, TimeZoneInfo zone, DateTimeOffset now) =>
        preferences.QuietHours is { } quiet && quiet.Contains(TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime));

    /// <summary>When the quiet hours <paramref name="now"/> falls in end.</summary>
    public static DateTimeOffset QuietEnd(QuietHours quiet, TimeZoneInfo zone, DateTimeOffset now) => NextLocal(quiet.End, zone, now);

    /// <summary>
    /// The recipient's next digest: the next hour, their daily time, or (no digest chosen) the end of their working day;
    /// never inside their quiet hours.
    /// </summary>
    public static DateTimeOffset NextDigest(RecipientPreferences preferences, TimeZoneInfo zone, DateTimeOffset now, NotificationsOptions options)
    {
        var slot = preferences.Digest switch
        {
            DigestModes.Hourly => TopOfHour.GetNextOccurrence(now, zone)!.Value,
            DigestModes.Daily => NextLocal(preferences.DigestAt ?? options.DefaultDigestAt, zone, now),
            _ => NextLocal(options.OverflowDigestAt, zone, now),
        };
        return InQuietHours(preferences, zone, slot) ? QuietEnd(preferences.QuietHours!, zone, slot) : slot;
    }

    /// <summary>The recipient's local calendar day, which their interruption budget counts.</summary>
    public static DateOnly LocalDay(TimeZoneInfo zone, DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    /// <summary>An IANA (or Windows) zone id, or UTC when it is unknown or missing.</summary>
    public static TimeZoneInfo Zone(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
