using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace PipelineCoach.Cadence.Occurrences;

/// <summary>The keyset position of a page of occurrences (ordered by scheduled_at, id), opaque to callers.</summary>
internal sealed record OccurrenceCursor(DateTimeOffset ScheduledAt, Guid Id)
{
    public override string ToString() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{ScheduledAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}.{Id:N}"));

    public static bool TryParse(string text, out OccurrenceCursor? cursor)
    {
        cursor = null;
        string decoded;
        try
        {
            decoded = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            return false;
        }

        var parts = decoded.Split('.');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !Guid.TryParseExact(parts[1], "N", out var id))
        {
            return false;
        }

        cursor = new OccurrenceCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}
