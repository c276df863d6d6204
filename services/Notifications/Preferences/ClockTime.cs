using System.Globalization;

namespace PipelineCoach.Notifications.Preferences;

/// <summary>Local times of day as the API writes them: <c>HH:mm</c>, 00:00 to 23:59.</summary>
internal static class ClockTime
{
    public const string Format = "HH:mm";

    // TryParseExact alone also takes "7:00"; the API promises exactly two digits each.
    public static bool TryParse(string? text, out TimeOnly time)
    {
        time = default;
        return text is { Length: 5 } && text[2] == ':' && char.IsAsciiDigit(text[0]) && char.IsAsciiDigit(text[1]) && char.IsAsciiDigit(text[3]) && char.IsAsciiDigit(text[4])
            && TimeOnly.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    public static string ToText(TimeOnly time) => time.ToString(Format, CultureInfo.InvariantCulture);
}
