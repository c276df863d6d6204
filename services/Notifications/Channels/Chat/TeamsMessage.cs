using System.Globalization;
using System.Text.Json.Nodes;
using PipelineCoach.Notifications.Deliveries;

namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>
/// A notice as a Teams Workflows webhook message: the <c>message</c> envelope with one Adaptive Card 1.4 — the title,
/// the summary, a FactSet for the deal, and per notice section its title and its lines as a list. Workflows take
/// the finished card (no templating). Sections and their text are capped so a digest stays well under Teams'
/// 28 KB message limit. Pure.
/// </summary>
internal static class TeamsMessage
{
    public const int MaxSections = 15;
    public const int MaxSectionText = 1000;

    public static string ToJson(Notice notice) => Render(notice).ToJsonString(ChatText.JsonOptions);

    public static JsonObject Render(Notice notice)
    {
        var body = new JsonArray { TextBlock(ChatText.Truncate(notice.Title, ChatText.MaxTitle), weight: "Bolder", size: "Medium") };
        if (!string.IsNullOrWhiteSpace(notice.Summary))
        {
            body.Add(TextBlock(ChatText.Truncate(notice.Summary, ChatText.MaxSummary)));
        }

        var facts = ChatText.Facts(notice);
        if (facts.Count > 0)
        {
            body.Add(new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray([.. facts.Select(fact => new JsonObject { ["title"] = fact.Label, ["value"] = fact.Value })]),
            });
        }

        var (sections, hidden) = ChatText.Visible(notice.Sections, MaxSections);
        foreach (var section in sections)
        {
            body.Add(TextBlock(ChatText.Truncate(section.Title, ChatText.MaxHeading), weight: "Bolder", spacing: "Medium"));
            if (section.Lines.Count > 0)
            {
                body.Add(TextBlock(ChatText.Bounded(null, [.. section.Lines.Select(line => "- " + ChatText.Line(line, section))], MaxSectionText)));
            }
        }

        if (hidden > 0)
        {
            body.Add(TextBlock(ChatText.More(hidden), spacing: "Medium"));
        }

        body.Add(TextBlock(Context(notice), size: "Small", spacing: "Medium", isSubtle: true));

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = new JsonObject
                {
                    ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                    ["type"] = "AdaptiveCard",
                    ["version"] = "1.4",
                    ["body"] = body,
                },
            }),
        };
    }

    // DATE() and TIME() are Adaptive Card text functions, shown in the reader's time zone (RFC 3339, Z, no fraction).
    private static string Context(Notice notice)
    {
        var instant = notice.OccurredAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return $"{(notice.IsCritical ? "**Critical** · " : "")}{ChatText.SignalLabel(notice.Signal)} · {{{{DATE({instant}, SHORT)}}}} at {{{{TIME({instant})}}}}";
    }

    private static JsonObject TextBlock(string text, string? weight = null, string? size = null, string? spacing = null, bool isSubtle = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text };
        if (weight is not null)
        {
            block["weight"] = weight;
        }

        if (size is not null)
        {
            block["size"] = size;
        }

        if (spacing is not null)
        {
            block["spacing"] = spacing;
        }

        if (isSubtle)
        {
            block["isSubtle"] = true;
        }

        block["wrap"] = true;
        return block;
    }
}
