namespace PipelineCoach.Cadence.Agendas;

/// <summary>Local days of occurrences, from the platform's IANA zone data (no hand-written offsets).</summary>
internal static class AgendaClock
{
    /// <summary>The calendar day <paramref name="instant"/> falls on in <paramref name="timeZone"/> (UTC when the zone is unknown).</summary>
    public static DateOnly LocalDate(DateTimeOffset instant, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
    }
}
