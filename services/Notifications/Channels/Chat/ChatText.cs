using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PipelineCoach.Notifications.Deliveries;

namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>
/// What the Slack and Teams renderers say alike: the deal's facts, a line with the deal it names, the time, and the
/// caps that keep a message within Slack's limits (raw text is capped before escaping, so even an all-<c>&amp;</c>
/// line stays within a 3,000-character section once escaped).
/// </summary>
internal static class ChatText
{
    public const int MaxTitle = 150;
    public const int MaxSummary = 500;
    public const int MaxHeading = 100;
    public const int MaxLine = 400;
    public const int MaxFact = 300;

    /// <summary>Compact, and without \u escapes for &amp;, &lt;, &gt; or non-ASCII: the payload is never embedded in HTML.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    /// <summary>An amount in the org currency, which the notice does not name: <c>120,000</c>, <c>99.5</c>.</summary>
    public static string Amount(decimal amount) => amount.ToString("#,##0.##", CultureInfo.InvariantCulture);

    /// <summary><c>opportunity-risk</c> → <c>Opportunity risk</c>.</summary>
    public static string SignalLabel(string signal) =>
        signal.Length == 0 ? signal : string.Concat(signal[..1].ToUpperInvariant(), signal[1..].Replace('-', ' '));

    /// <summary>The deal the notice is about, as label and value pairs; empty when it names none.</summary>
    public static IReadOnlyList<(string Label, string Value)> Facts(Notice notice)
    {
        var facts = new List<(string, string)>();
        if ((notice.OpportunityName ?? notice.OpportunityId) is { } deal)
        {
            facts.Add(("Deal", Truncate(deal, MaxFact)));
        }

        if (notice.Amount is { } amount)
        {
            facts.Add(("Amount", Amount(amount)));
        }

        if (notice.OwnerName is { } owner)
        {
            facts.Add(("Owner", Truncate(owner, MaxFact)));
        }

        return facts;
    }

    /// <summary>
    /// A line's words, then what it says of a deal: <c>Discovery call overdue — Acme renewal · 120,000 · Rita Rep</c>.
    /// The deal's name is left out under a section that is already that deal (a digest's).
    /// </summary>
    public static string Line(NoticeLine line, NoticeSection section)
    {
        var details = new List<string>(3);
        if (line.OpportunityName is { } name && name != section.Title)
        {
            details.Add(name);
        }

        if (line.Amount is { } amount)
        {
            details.Add(Amount(amount));
        }

        if (line.OwnerName is { } owner)
        {
            details.Add(owner);
        }

        return Truncate(details.Count == 0 ? line.Text : $"{line.Text} — {string.Join(" · ", details)}", MaxLine);
    }

    public static string More(int count) => $"…and {count} more";

    /// <summary>The first items when they do not all fit in <paramref name="room"/> places, keeping the last place for "…and N more".</summary>
    public static (IReadOnlyList<T> Shown, int Hidden) Visible<T>(IReadOnlyList<T> items, int room) =>
        items.Count <= room ? (items, 0) : ([.. items.Take(room - 1)], items.Count - (room - 1));

    /// <summary>
    /// The heading and the lines, one a line, within <paramref name="maxLength"/> characters; the lines that do not
    /// fit are counted as "…and N more". Lines are capped (<see cref="MaxLine"/>) and headings short, so at least one fits.
    /// </summary>
    public static string Bounded(string? heading, IReadOnlyList<string> lines, int maxLength)
    {
        var text = new StringBuilder(heading);
        var reserve = More(lines.Count).Length + 1;
        for (var i = 0; i < lines.Count; i++)
        {
            var separator = text.Length == 0 ? 0 : 1;
            var isLast = i == lines.Count - 1;
            if (text.Length + separator + lines[i].Length + (isLast ? 0 : reserve) > maxLength)
            {
                text.Append(separator == 0 ? "" : "\n").Append(More(lines.Count - i));
                break;
            }

            text.Append(separator == 0 ? "" : "\n").Append(lines[i]);
        }

        return text.ToString();
    }

    /// <summary>The instant as readers everywhere read it, when a client cannot localise it: <c>2026-11-25 09:30 UTC</c>.</summary>
    public static string UtcText(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
