using Cronos;

namespace PipelineCoach.Cadence.Schedules;

/// <summary>
/// A recurring cadence's schedule, pure: a 5-field cron expression in a time zone, between optional local
/// <c>startsOn</c>/<c>endsOn</c> dates, minus excluded local dates. Cronos does the cron and time-zone arithmetic: a
/// local time that does not exist fires at the first valid instant after the gap; a local time that occurs twice fires
/// once, at its first instant (for interval expressions Cronos would fire in both passes; the second is dropped here).
/// </summary>
public sealed class RecurringSchedule
{
    private readonly CronExpression _expression;
    private readonly TimeZoneInfo _zone;
    private readonly DateOnly? _startsOn;
    private readonly DateOnly? _endsOn;
    private readonly HashSet<DateOnly> _exclusions;

    private RecurringSchedule(CronExpression expression, TimeZoneInfo zone, DateOnly? startsOn, DateOnly? endsOn, IEnumerable<DateOnly> exclusions)
    {
        _expression = expression;
        _zone = zone;
        _startsOn = startsOn;
        _endsOn = endsOn;
        _exclusions = [.. exclusions];
    }

    /// <summary>Parses <paramref name="cron"/> (5 fields) for <paramref name="timeZoneId"/> (IANA); null with the reason when either is invalid.</summary>
    public static RecurringSchedule? TryCreate(
        string cron, string timeZoneId, DateOnly? startsOn, DateOnly? endsOn, IEnumerable<DateOnly> exclusions, out string? cronError, out string? zoneError)
    {
        cronError = null;
        zoneError = null;
        CronExpression? expression = null;
        try
        {
            expression = CronExpression.Parse(cron, CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            cronError = ex.Message;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone) || !zone.HasIanaId)
        {
            zoneError = $"'{timeZoneId}' is not a known IANA time zone.";
        }

        return expression is null || zone is null || zoneError is not null
            ? null
            : new RecurringSchedule(expression, zone, startsOn, endsOn, exclusions);
    }

    /// <summary>The next <paramref name="count"/> slots strictly after <paramref name="fromUtc"/>.</summary>
    public IReadOnlyList<ScheduledSlot> Next(DateTimeOffset fromUtc, int count)
    {
        var slots = new List<ScheduledSlot>(count);
        foreach (var slot in Slots(fromUtc))
        {
            if (slots.Count == count)
            {
                break;
            }

            slots.Add(slot);
        }

        return slots;
    }

    /// <summary>Every slot in (<paramref name="fromUtc"/>, <paramref name="toUtc"/>]: what a horizon materialises.</summary>
    public IReadOnlyList<ScheduledSlot> Between(DateTimeOffset fromUtc, DateTimeOffset toUtc) =>
        [.. Slots(fromUtc).TakeWhile(slot => slot.UtcStart <= toUtc)];

    private IEnumerable<ScheduledSlot> Slots(DateTimeOffset fromUtc)
    {
        var cursor = fromUtc.UtcDateTime;
        if (_startsOn is { } starts)
        {
            // Nothing before the start date's first local instant.
            var startUtc = LocalDay.Start(starts, _zone).UtcDateTime;
            if (startUtc.AddTicks(-1) > cursor)
            {
                cursor = startUtc.AddTicks(-1);
            }
        }

        while (_expression.GetNextOccurrence(cursor, _zone) is { } next)
        {
            cursor = next;
            var local = TimeZoneInfo.ConvertTimeFromUtc(next, _zone);
            var date = DateOnly.FromDateTime(local);
            if (_endsOn is { } ends && date > ends)
            {
                yield break;
            }

            if (_exclusions.Contains(date))
            {
                continue;
            }

            DstMark? dst = null;
            if (_zone.IsAmbiguousTime(local))
            {
                // The second pass through a repeated hour: that wall-clock time already fired.
                if (IsSecondPass(next, local))
                {
                    continue;
                }

                dst = DstMark.Ambiguous;
            }
            else if (!MatchesWallClock(local))
            {
                dst = DstMark.Shifted;
            }

            yield return new ScheduledSlot(new DateTimeOffset(next, TimeSpan.Zero), local, TimeZoneId, dst);
        }
    }

    private string TimeZoneId => _zone.Id;

    /// <summary>Whether the instant is the later of the two a repeated local time has (its offset is the smaller one).</summary>
    private bool IsSecondPass(DateTime utc, DateTime local)
    {
        var offsets = _zone.GetAmbiguousTimeOffsets(local);
        var offset = local - utc;
        return offset == offsets.Min();
    }

    /// <summary>Whether the cron expression matches the wall-clock time itself (false when Cronos moved the slot out of a gap).</summary>
    private bool MatchesWallClock(DateTime local)
    {
        var wall = DateTime.SpecifyKind(local, DateTimeKind.Utc);
        return _expression.GetNextOccurrence(wall.AddTicks(-1), TimeZoneInfo.Utc) == wall;
    }
}
