namespace PipelineCoach.Cadence.Triggers;

/// <summary>Business days (Monday to Friday in a time zone, minus the org's holidays), pure.</summary>
public static class BusinessDays
{
    /// <summary>
    /// The deadline <paramref name="days"/> business days after <paramref name="fromUtc"/>: the end (next local midnight)
    /// of the <paramref name="days"/>th business day after the local date of <paramref name="fromUtc"/>.
    /// </summary>
    public static DateTimeOffset DueBy(DateTimeOffset fromUtc, int days, TimeZoneInfo zone, IReadOnlySet<DateOnly> holidays)
    {
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(fromUtc, zone).DateTime);
        var counted = 0;
        while (counted < days)
        {
            date = date.AddDays(1);
            if (IsBusinessDay(date, holidays))
            {
                counted++;
            }
        }

        return StartOfDay(date.AddDays(1), zone);
    }

    public static bool IsBusinessDay(DateOnly date, IReadOnlySet<DateOnly> holidays) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.Contains(date);

    /// <summary>The first instant of a local date (an hour after midnight where midnight falls in a DST gap).</summary>
    public static DateTimeOffset StartOfDay(DateOnly date, TimeZoneInfo zone)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue);
        var local = zone.IsInvalidTime(midnight) ? midnight.AddHours(1) : midnight;
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }
}
