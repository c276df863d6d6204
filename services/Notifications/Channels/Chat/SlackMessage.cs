using System.Globalization;
using System.Text.Json.Nodes;
using PipelineCoach.Notifications.Deliveries;

namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>
/// A notice as a Slack incoming-webhook message: <c>text</c> (the notification and screen-reader fallback) and
/// Block Kit <c>blocks</c> — header, summary, the deal's fields, one section per notice section, and a context
/// line with the time. Within Slack's limits: a header of 150 characters, 3,000 per section, 50 blocks. Pure.
/// </summary>
internal static class SlackMessage
{
    public const int MaxBlocks = 50;
    public const int MaxSectionText = 3000;

    public static string ToJson(Notice notice) => Render(notice).ToJsonString(ChatText.JsonOptions);

    public static JsonObject Render(Notice notice)
    {
        var title = ChatText.Truncate(notice.Title, ChatText.MaxTitle);
        var blocks = new JsonArray { new JsonObject { ["type"] = "header", ["text"] = PlainText(title) } };
        if (!string.IsNullOrWhiteSpace(notice.Summary))
        {
            blocks.Add(Section(Escape(ChatText.Truncate(notice.Summary, ChatText.MaxSummary))));
        }

        var facts = ChatText.Facts(notice);
        if (facts.Count > 0)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray([.. facts.Select(fact => Mrkdwn($"*{fact.Label}*\n{Escape(fact.Value)}"))]),
            });
        }

        // The context block closes the message, so the sections get what is left of the 50.
        var (sections, hidden) = ChatText.Visible(notice.Sections, MaxBlocks - blocks.Count - 1);
        foreach (var section in sections)
        {
            var lines = section.Lines.Select(line => "• " + Escape(ChatText.Line(line, section))).ToList();
            blocks.Add(Section(ChatText.Bounded($"*{Escape(ChatText.Truncate(section.Title, ChatText.MaxHeading))}*", lines, MaxSectionText)));
        }

        if (hidden > 0)
        {
            blocks.Add(Section($"_{ChatText.More(hidden)}_"));
        }

        blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(Mrkdwn(Context(notice))) });
        return new JsonObject { ["text"] = Escape(title), ["blocks"] = blocks };
    }

    /// <summary>Slack's control characters in text it formats: only &amp;, &lt; and &gt;, as HTML entities.</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    // Slack shows <!date^…> in each reader's own time zone, and the text after '|' where it cannot.
    private static string Context(Notice notice)
    {
        var seconds = notice.OccurredAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var when = $"<!date^{seconds}^{{date_short_pretty}} at {{time}}|{ChatText.UtcText(notice.OccurredAt)}>";
        return $"{(notice.IsCritical ? "*Critical* · " : "")}{Escape(ChatText.SignalLabel(notice.Signal))} · {when}";
    }

    private static JsonObject Section(string mrkdwn) => new() { ["type"] = "section", ["text"] = Mrkdwn(mrkdwn) };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    // plain_text is not parsed for links or mentions, so it is not escaped.
    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text };
}
