using Cronos;

namespace PipelineCoach.Cadence.Schedules;

/// <summary>Where a local date begins in a time zone, by Cronos' rules rather than hand-written DST arithmetic.</summary>
public static class LocalDay
{
    private static readonly CronExpression Midnight = CronExpression.Parse("0 0 * * *");

    /// <summary>
    /// The first instant of <paramref name="date"/> in <paramref name="zone"/>: its midnight, or, where midnight falls in
    /// a daylight-saving gap, the first valid instant after the gap (however long the gap is).
    /// </summary>
    public static DateTimeOffset Start(DateOnly date, TimeZoneInfo zone)
    {
        var dayBeforeNoon = TimeZoneInfo.ConvertTimeToUtc(date.AddDays(-1).ToDateTime(new TimeOnly(12, 0)), zone);
        return new DateTimeOffset(Midnight.GetNextOccurrence(dayBeforeNoon, zone)!.Value, TimeSpan.Zero);
    }
}
