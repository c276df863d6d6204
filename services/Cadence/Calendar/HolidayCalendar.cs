namespace PipelineCoach.Cadence.Calendar;

/// <summary>The org's holiday calendar: local dates that are not business days (sorted, distinct when returned).</summary>
public sealed record HolidayCalendar(IReadOnlyList<DateOnly>? Holidays);
