using PipelineCoach.Cadence.Schedules;

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

        return LocalDay.Start(date.AddDays(1), zone);
    }

    public static bool IsBusinessDay(DateOnly date, IReadOnlySet<DateOnly> holidays) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.Contains(date);
}
