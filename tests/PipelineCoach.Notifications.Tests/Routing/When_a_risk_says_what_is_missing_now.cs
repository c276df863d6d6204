using System.Text.Json.Nodes;
using PipelineCoach.Notifications.Tests.Chat;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Routing;

/// <summary>
/// The coaching prompts of OpportunityScored.MissingNow travel with the risk from the consumer, through the stored
/// notice, to the owner's email and the team's Slack and Teams channels; a score without them (an on-track deal, an
/// older publisher) announces the risk as before.
/// </summary>
public sealed class When_a_risk_says_what_is_missing_now
{
    private const string SlackPath = "/services/T0/B0/coaching";
    private const string TeamsPath = "/workflows/coaching";

    private static readonly string[] Prompts =
    [
        "Who signs? No economic buyer is named yet.",
        "What happens next, and when? Agree a dated next step with the customer.",
    ];

    private NotificationsHost _host = null!;
    private LocalReceiver _receiver = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _host = await NotificationsHost.StartAsync();
        _receiver = await LocalReceiver.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _receiver.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Test]
    public async Task Should_list_each_prompt_under_what_is_missing_now_in_email_slack_and_teams()
    {
        var (owner, deal) = await RiskyDealAsync("Acme renewal");

        await _host.PublishAsync(NotificationsHost.Scored(deal, owner, ["slipping"], previousFlags: []) with { Readiness = "behind", MissingNow = [.. Prompts, " "] });

        var (mail, slack, teams) = await DeliveredAsync(owner);
        Assert.Multiple(() =>
        {
            foreach (var body in new[] { mail.Html!, mail.Text! })
            {
                Assert.That(body, Does.Contain("What is missing now"));
                Assert.That(body.IndexOf(Prompts[0], StringComparison.Ordinal), Is.GreaterThan(body.IndexOf("What is missing now", StringComparison.Ordinal)));
                Assert.That(body, Does.Contain(Prompts[1]));
            }

            Assert.That(mail.Text, Does.Contain($"- {Prompts[0]}"));
            Assert.That(slack, Has.Member($"*What is missing now*\n• {Prompts[0]}\n• {Prompts[1]}"), "one Slack section, a bullet per prompt, the blank one left out");
            Assert.That(teams, Is.SupersetOf(new[] { "What is missing now", $"- {Prompts[0]}\n- {Prompts[1]}" }));
        });

        // Stored with the delivery, so a retry after a restart says the same.
        var sections = await StoredSectionsAsync(deal);
        Assert.That(sections, Is.EqualTo(new[] { "What changed", "What is missing now" }));
    }

    [Test]
    public async Task Should_leave_the_section_out_when_nothing_is_missing_now()
    {
        var (owner, deal) = await RiskyDealAsync("Globex expansion");

        // As an older publisher sends it: no Readiness, no MissingNow.
        await _host.PublishAsync(NotificationsHost.Scored(deal, owner, ["stalled"], previousFlags: []));

        var (mail, slack, teams) = await DeliveredAsync(owner);
        Assert.Multiple(() =>
        {
            Assert.That(mail.Html + mail.Text, Does.Contain("What changed").And.Not.Contain("What is missing now"));
            Assert.That(slack, Has.Some.StartsWith("*What changed*").And.None.Contains("What is missing now"));
            Assert.That(teams, Has.Member("What changed").And.None.Contains("What is missing now"));
        });
        Assert.That(await StoredSectionsAsync(deal), Is.EqualTo(new[] { "What changed" }));
    }

    private async Task<(string Owner, string Deal)> RiskyDealAsync(string name)
    {
        var manager = await _host.UserAsync("Maria Manager");
        var owner = await _host.UserAsync("Rita Rep", manager);
        await _host.CreateDestinationAsync("slack", _receiver.UrlOf(SlackPath), "#coaching", manager, "opportunity-risk");
        await _host.CreateDestinationAsync("teams", _receiver.UrlOf(TeamsPath), "Coaching", manager, "opportunity-risk");
        return (owner, await _host.OpportunityAsync(name, 120_000m, owner));
    }

    /// <summary>The owner's email, and the texts of the Slack blocks and of the Teams card's text blocks.</summary>
    private async Task<(MaildevMessage Mail, IReadOnlyList<string> Slack, IReadOnlyList<string> Teams)> DeliveredAsync(string owner)
    {
        var mail = (await _host.MailToAsync(await _host.EmailOfAsync(owner), 1)).Single();
        await Eventually.TrueAsync(() => _receiver.RequestsTo(SlackPath).Count > 0 && _receiver.RequestsTo(TeamsPath).Count > 0, "the Slack and Teams posts");
        var slack = JsonNode.Parse(_receiver.RequestsTo(SlackPath).Single().Text)!["blocks"]!.AsArray()
            .Select(block => block!["text"]?["text"]?.GetValue<string>()).OfType<string>().ToList();
        var teams = JsonNode.Parse(_receiver.RequestsTo(TeamsPath).Single().Text)!["attachments"]![0]!["content"]!["body"]!.AsArray()
            .Select(block => block!["text"]?.GetValue<string>()).OfType<string>().ToList();
        return (mail, slack, teams);
    }

    private async Task<string[]> StoredSectionsAsync(string deal) =>
        (await _host.ScalarAsync<string>(
            """
            SELECT string_agg(s->>'title', '|' ORDER BY n)
            FROM deliveries, jsonb_array_elements(notice->'sections') WITH ORDINALITY AS x(s, n)
            WHERE opportunity_id = @deal AND channel = 'email'
            """, new { deal })).Split('|');
}
