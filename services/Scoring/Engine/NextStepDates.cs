using System.Text.RegularExpressions;

namespace PipelineCoach.Scoring.Engine;

/// <summary>
/// Reads the calendar date a next step's text names ("demo on 2026-03-14", "call March 14th", "review 14 Mar"), so a
/// next step whose date has passed counts as no next step. Weekdays ("call Tuesday") and numeric day/month forms are
/// left alone: the first is relative to a day the text does not record, the second ambiguous between orders.
/// Allocation-free.
/// </summary>
public static partial class NextStepDates
{
    /// <summary>
    /// The first calendar date in <paramref name="text"/>; a date without a year lands between three months before and nine
    /// months after <paramref name="near"/> (the day the text was last changed).
    /// </summary>
    public static DateOnly? Read(ReadOnlySpan<char> text, DateOnly near)
    {
        foreach (var match in DatePattern().EnumerateMatches(text))
        {
            var span = text.Slice(match.Index, match.Length);
            if (char.IsDigit(span[0]) && span.Length >= 8 && span[4] == '-')
            {
                if (TryIso(span, out var iso))
                {
                    return iso;
                }

                continue;
            }

            var month = MonthOf(span);
            var day = FirstNumber(span);
            if (month == 0 || day is < 1 or > 31)
            {
                continue;
            }

            if (YearIn(span) is { } year)
            {
                if (year is >= 1 and <= 9999 && day <= DateTime.DaysInMonth(year, month))
                {
                    return new DateOnly(year, month, day);
                }

                continue;
            }

            if (Upcoming(month, day, near) is { } date)
            {
                return date;
            }
        }

        return null;
    }

    private static bool TryIso(ReadOnlySpan<char> span, out DateOnly date)
    {
        date = default;
        var first = span.IndexOf('-');
        var rest = span[(first + 1)..];
        var second = rest.IndexOf('-');
        if (second <= 0
            || !int.TryParse(span[..first], out var year) || year < 1
            || !int.TryParse(rest[..second], out var month) || month is < 1 or > 12
            || !int.TryParse(rest[(second + 1)..], out var day) || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>
    /// A month and day without a year, placed where a next step most likely means it: from three months back to nine months
    /// ahead of <paramref name="near"/> (next steps look forward: "Jan 5" written in December is next January).
    /// </summary>
    private static DateOnly? Upcoming(int month, int day, DateOnly near)
    {
        for (var year = near.Year - 1; year <= near.Year + 1; year++)
        {
            if (year is < 1 or > 9999 || day > DateTime.DaysInMonth(year, month))
            {
                continue;
            }

            var offset = new DateOnly(year, month, day).DayNumber - near.DayNumber;
            if (offset is >= -90 and < 275)
            {
                return new DateOnly(year, month, day);
            }
        }

        return null;
    }

    private static int? YearIn(ReadOnlySpan<char> span)
    {
        for (var i = 0; i + 4 <= span.Length; i++)
        {
            var candidate = span.Slice(i, 4);
            if (candidate.IndexOfAnyExceptInRange('0', '9') < 0
                && (i == 0 || !char.IsDigit(span[i - 1])) && (i + 4 == span.Length || !char.IsDigit(span[i + 4])))
            {
                return int.Parse(candidate, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private static int MonthOf(ReadOnlySpan<char> span)
    {
        ReadOnlySpan<string> months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
        for (var i = 0; i + 3 <= span.Length; i++)
        {
            if (!char.IsLetter(span[i]) || (i > 0 && char.IsLetter(span[i - 1])))
            {
                continue;
            }

            for (var m = 0; m < months.Length; m++)
            {
                if (span.Slice(i, 3).Equals(months[m], StringComparison.OrdinalIgnoreCase))
                {
                    return m + 1;
                }
            }
        }

        return 0;
    }

    private static int FirstNumber(ReadOnlySpan<char> span)
    {
        var start = span.IndexOfAnyInRange('0', '9');
        if (start < 0)
        {
            return 0;
        }

        var length = 1;
        while (start + length < span.Length && char.IsDigit(span[start + length]))
        {
            length++;
        }

        return int.TryParse(span.Slice(start, length), out var number) ? number : 0;
    }

    [GeneratedRegex(
        @"\b\d{4}-\d{1,2}-\d{1,2}\b|\b(" + Months + @")\.?\s+\d{1,2}(st|nd|rd|th)?\b(,?\s+\d{4}\b)?|\b\d{1,2}(st|nd|rd|th)?\s+(" + Months + @")\b\.?(,?\s+\d{4}\b)?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    /// <summary>Month names and their usual abbreviations, whole words only ("dec" in "decision" is not December).</summary>
    private const string Months = "jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?";
}
