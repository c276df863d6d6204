namespace PipelineCoach.Notifications.Escalations;

/// <summary>
/// Counts business hours in a person's own zone: weekdays between the start and end of the working day. A risk
/// raised on Friday evening in Berlin has used none of its 24 hours by Monday 09:00 Berlin time.
/// </summary>
internal static class BusinessHours
{
    /// <summary>The instant <paramref name="hours"/> business hours after <paramref name="from"/>.</summary>
    public static DateTimeOffset Add(DateTimeOffset from, int hours, TimeZoneInfo zone, TimeOnly dayStart, TimeOnly dayEnd)
    {
        var remaining = TimeSpan.FromHours(hours);
        var local = TimeZoneInfo.ConvertTime(from, zone).DateTime;
        while (true)
        {
            var day = local.Date;
            var start = day + dayStart.ToTimeSpan();
            var end = day + dayEnd.ToTimeSpan();
            if (IsWorkday(day) && local < end)
            {
                var begin = local < start ? start : local;
                var available = end - begin;
                if (remaining <= available)
                {
                    return ToInstant(begin + remaining, zone);
                }

                remaining -= available;
            }

            local = day.AddDays(1);
        }
    }

    private static bool IsWorkday(DateTime day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    // A working-day instant in the gap of a spring-forward night is read as the first instant after the gap.
    private static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
