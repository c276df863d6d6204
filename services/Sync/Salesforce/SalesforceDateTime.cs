using System.Globalization;

namespace PipelineCoach.Sync.Salesforce;

/// <summary>Salesforce datetimes: <c>2026-11-25T10:00:00.000Z</c> (CDC, REST) or <c>…+0000</c> (REST, SOAP).</summary>
public static class SalesforceDateTime
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.fffK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.fffzzz", "yyyy-MM-dd'T'HH:mm:ss.fffzz00",
        "yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", "yyyy-MM-dd'T'HH:mm:ss'+0000'",
    ];

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.EndsWith("+0000", StringComparison.Ordinal))
        {
            text = string.Concat(text.AsSpan(0, text.Length - 5), "Z");
        }

        return DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value)
            || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }
}
