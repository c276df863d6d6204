using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PipelineCoach.Notifications.Channels.Chat;
using PipelineCoach.Notifications.Deliveries;

namespace PipelineCoach.Notifications.Tests.Chat;

/// <summary>The pure Slack and Teams renderers: the documented examples, escaping, and the limits.</summary>
public sealed class When_rendering_chat_messages
{
    // Set to 1 to rewrite the documented examples from the renderers (then review the diff).
    private const string UpdateDocsVariable = "PIPELINECOACH_UPDATE_CHAT_DOCS";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [TestCase("slack-risk.json", "slack")]
    [TestCase("teams-risk.json", "teams")]
    public void Should_render_the_sample_exactly_as_documented(string file, string channel)
    {
        var rendered = JsonNode.Parse(channel == "slack" ? SlackMessage.ToJson(SampleNotices.Risk) : TeamsMessage.ToJson(SampleNotices.Risk))!;
        var path = Path.Combine(RepositoryRoot(), "docs", "notifications", file);
        if (Environment.GetEnvironmentVariable(UpdateDocsVariable) == "1")
        {
            File.WriteAllText(path, rendered.ToJsonString(Indented) + "\n");
        }

        var documented = JsonNode.Parse(File.ReadAllText(path))!;

        Assert.That(JsonNode.DeepEquals(documented, rendered), Is.True,
            $"docs/notifications/{file} differs from the renderer; run the tests with {UpdateDocsVariable}=1 to rewrite it. Rendered:\n{rendered.ToJsonString(Indented)}");
    }

    [Test]
    public void Should_render_compact_json_without_unicode_escapes()
    {
        var json = SlackMessage.ToJson(SampleNotices.Risk with { Summary = "Close date moved: Dec 15 → Jan 31 & no <meeting> booked" });

        Assert.That(json, Does.Not.Contain("\n").And.Not.Contain("\\u").And.Contain("→").And.Contain("&amp; no &lt;meeting&gt;"));
    }

    [Test]
    public void Should_escape_slack_control_characters_in_mrkdwn_but_not_in_the_plain_text_header()
    {
        var notice = Notice("R&D <deal> > plan", sections: [Section("A & B", "x < y & z > w")]) with { Summary = "<!channel> & co" };

        var message = SlackMessage.Render(notice);
        var blocks = message["blocks"]!.AsArray();

        Assert.Multiple(() =>
        {
            Assert.That(message["text"]!.GetValue<string>(), Is.EqualTo("R&amp;D &lt;deal&gt; &gt; plan"));
            Assert.That(blocks[0]!["text"]!["text"]!.GetValue<string>(), Is.EqualTo("R&D <deal> > plan"));
            Assert.That(blocks[1]!["text"]!["text"]!.GetValue<string>(), Is.EqualTo("&lt;!channel&gt; &amp; co"));
            Assert.That(blocks[2]!["text"]!["text"]!.GetValue<string>(), Is.EqualTo("*A &amp; B*\n• x &lt; y &amp; z &gt; w"));
        });
    }

    [Test]
    public void Should_show_the_deal_fields_only_when_the_notice_names_a_deal()
    {
        var withDeal = SlackMessage.Render(SampleNotices.Risk)["blocks"]!.AsArray();
        var without = SlackMessage.Render(Notice("Team health dropped"))["blocks"]!.AsArray();

        Assert.Multiple(() =>
        {
            Assert.That(withDeal.Single(b => b!["fields"] is not null)!["fields"]!.AsArray().Select(f => f!["text"]!.GetValue<string>()),
                Is.EqualTo(new[] { "*Deal*\nAcme renewal", "*Amount*\n120,000", "*Owner*\nRiley Rep" }));
            Assert.That(without.Where(b => b!["fields"] is not null), Is.Empty);
            Assert.That(without.Select(b => b!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "header", "context" }));
        });
    }

    [Test]
    public void Should_keep_within_fifty_blocks_counting_the_sections_left_out()
    {
        var sections = Enumerable.Range(1, 80).Select(i => Section($"Deal {i}", "changed")).ToArray();
        var notice = Notice("Daily digest", sections) with { Summary = "80 deals changed", OpportunityName = "x" };

        var blocks = SlackMessage.Render(notice)["blocks"]!.AsArray();

        // header, summary, fields, 45 sections, "…and 35 more", context
        var texts = blocks.Select(b => b!["text"]?["text"]?.GetValue<string>()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(blocks, Has.Count.EqualTo(50));
            Assert.That(texts[^2], Is.EqualTo("_…and 35 more_"));
            Assert.That(texts.Count(t => t?.StartsWith("*Deal ", StringComparison.Ordinal) == true), Is.EqualTo(45));
            Assert.That(blocks[^1]!["type"]!.GetValue<string>(), Is.EqualTo("context"));
        });
    }

    [Test]
    public void Should_keep_a_section_within_3000_characters_counting_the_lines_left_out()
    {
        var lines = Enumerable.Range(1, 100).Select(i => $"{i:000} " + new string('&', 396)).ToArray();
        var notice = Notice("Huge section", [Section("Everything", lines)]);

        var text = SlackMessage.Render(notice)["blocks"]![1]!["text"]!["text"]!.GetValue<string>();

        var shown = text.Split('\n').Count(line => line.StartsWith("• ", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(text.Length, Is.LessThanOrEqualTo(SlackMessage.MaxSectionText));
            Assert.That(shown, Is.GreaterThan(0));
            Assert.That(text, Does.EndWith($"\n…and {100 - shown} more"));
        });
    }

    [Test]
    public void Should_cut_a_long_title_to_slacks_150_character_header()
    {
        var header = SlackMessage.Render(Notice(new string('t', 400)))["blocks"]![0]!["text"]!["text"]!.GetValue<string>();

        Assert.That(header, Has.Length.EqualTo(150).And.EndsWith("…"));
    }

    [Test]
    public void Should_show_the_time_in_each_readers_zone_with_a_utc_fallback()
    {
        var slack = SlackMessage.Render(SampleNotices.Risk)["blocks"]!.AsArray()[^1]!["elements"]![0]!["text"]!.GetValue<string>();
        var teams = TeamsMessage.Render(SampleNotices.Risk)["attachments"]![0]!["content"]!["body"]!.AsArray()[^1]!["text"]!.GetValue<string>();

        Assert.Multiple(() =>
        {
            Assert.That(slack, Is.EqualTo("Opportunity risk · <!date^1796133900^{date_short_pretty} at {time}|2026-12-01 14:05 UTC>"));
            Assert.That(teams, Is.EqualTo("Opportunity risk · {{DATE(2026-12-01T14:05:00Z, SHORT)}} at {{TIME(2026-12-01T14:05:00Z)}}"));
        });
    }

    [Test]
    public void Should_name_the_deal_of_a_line_unless_its_section_is_that_deal()
    {
        var section = new NoticeSection
        {
            Title = "Acme renewal",
            Lines =
            [
                new NoticeLine { Text = "Stalled in Negotiation", OpportunityName = "Acme renewal", Amount = 99.5m },
                new NoticeLine { Text = "Discovery call overdue", OpportunityName = "Globex expansion", Amount = 120000m, OwnerName = "Rita Rep" },
            ],
        };

        var text = TeamsMessage.Render(Notice("Agenda", [section]))["attachments"]![0]!["content"]!["body"]![2]!["text"]!.GetValue<string>();

        Assert.That(text, Is.EqualTo("- Stalled in Negotiation — 99.5\n- Discovery call overdue — Globex expansion · 120,000 · Rita Rep"));
    }

    [Test]
    public void Should_keep_a_teams_card_to_fifteen_sections()
    {
        var notice = Notice("Daily digest", [.. Enumerable.Range(1, 40).Select(i => Section($"Deal {i}", "changed"))]);

        var body = TeamsMessage.Render(notice)["attachments"]![0]!["content"]!["body"]!.AsArray();

        var titles = body.Select(b => b!["text"]!.GetValue<string>()).Where(t => t.StartsWith("Deal ", StringComparison.Ordinal)).ToList();
        Assert.That(titles, Has.Count.EqualTo(14));
        Assert.That(body.Select(b => b!["text"]!.GetValue<string>()), Has.Member("…and 26 more"));
    }

    [Test]
    public void Should_mark_a_critical_notice()
    {
        var critical = SampleNotices.Risk with { IsCritical = true, Signal = "escalation" };

        Assert.That(SlackMessage.ToJson(critical), Does.Contain("*Critical* · Escalation · "));
        Assert.That(TeamsMessage.ToJson(critical), Does.Contain("**Critical** · Escalation · "));
    }

    private static Notice Notice(string title, NoticeSection[]? sections = null) => new()
    {
        Signal = "digest",
        BusinessKey = "digest:005000000000001AAA:slack:2026-11-25T08",
        Title = title,
        OccurredAt = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero),
        Sections = sections ?? [],
    };

    private static NoticeSection Section(string title, params string[] lines) =>
        new() { Title = title, Lines = [.. lines.Select(line => new NoticeLine { Text = line })] };

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Services.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new DirectoryNotFoundException("Services.sln not found above " + AppContext.BaseDirectory);
    }
}
