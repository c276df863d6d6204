using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Notifications.Tests.Chat;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Routing;

/// <summary>Slack and Teams destinations registered for a team or the org get the signals they subscribed to, honouring Slack's 429.</summary>
public sealed class When_a_team_has_a_chat_destination
{
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

    private async Task<Guid> DestinationAsync(string type, string path, string? managerId, params string[] signals) =>
        (await _host.CreateDestinationAsync(type, _receiver.UrlOf(path), $"#{path}", managerId, signals))["id"]!.GetValue<Guid>();

    [Test]
    public async Task Should_post_a_teams_risk_to_its_channel_and_wait_out_slacks_retry_after()
    {
        var manager = await _host.UserAsync("Maria Manager");
        var owner = await _host.UserAsync("Rita Rep", manager);
        var slack = await DestinationAsync("slack", "/services/T0/B0/team-west", manager, "opportunity-risk");
        await DestinationAsync("teams", "/workflows/other-team", await _host.UserAsync("Other Manager"), "opportunity-risk");
        _receiver.Answer("/services/T0/B0/team-west", 429, "rate_limited", retryAfter: "120");
        var deal = await _host.OpportunityAsync("Acme renewal", 120_000m, owner);

        await _host.PublishAsync(NotificationsHost.Scored(deal, owner, ["slipping"], previousFlags: []));

        var waiting = (await _host.DeliveriesAsync($"opportunityId={deal}", d => d.Any(x => x.Channel == "slack" && x.Attempts == 1), "the 429"))
            .Single(d => d.Channel == "slack");
        Assert.That((waiting.Status, waiting.TargetId, waiting.NextAttemptAt), Is.EqualTo(("queued", (Guid?)slack, (DateTimeOffset?)TestClock.Now.AddSeconds(120))),
            "Retry-After (120 s) outweighs the ladder's 30 s");
        Assert.That(waiting.Resolution.Why, Is.EqualTo($"chat destination (team of {manager})"));

        _host.Advance(TimeSpan.FromSeconds(120));
        await _host.DeliveriesAsync($"opportunityId={deal}", d => d.Any(x => x.Channel == "slack" && x.Status == "sent" && x.Attempts == 2), "the retry");
        var posts = _receiver.RequestsTo("/services/T0/B0/team-west");
        Assert.That(posts, Has.Count.EqualTo(2));
        Assert.That(JsonNode.Parse(posts[1].Text)!["text"]!.GetValue<string>(), Does.Contain("Acme renewal"));
        Assert.That(_receiver.RequestsTo("/workflows/other-team"), Is.Empty, "another team's channel");
    }

    [Test]
    public async Task Should_roll_bulk_work_into_the_channels_hourly_digest()
    {
        var owner = await _host.UserAsync("Rita Rep");
        await DestinationAsync("teams", "/workflows/org", null, "opportunity-risk");
        foreach (var name in new[] { "Bulk A", "Bulk B" })
        {
            await _host.PublishAsync(NotificationsHost.Scored(await _host.OpportunityAsync(name, 1_000m, owner), owner, ["stalled"], cause: ScoreCause.Activation));
        }

        var held = await _host.DeliveriesAsync("signal=opportunity-risk&status=held", d => d.Count(x => x.Channel == "teams") == 2, "two held posts");
        Assert.That(held.Where(d => d.Channel == "teams").Select(d => d.HeldUntil), Is.All.EqualTo((DateTimeOffset?)new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero)));

        _host.Advance(TimeSpan.FromMinutes(30));
        await Eventually.TrueAsync(() => _receiver.RequestsTo("/workflows/org").Count > 0, "the digest post");
        var post = _receiver.RequestsTo("/workflows/org").Single();
        Assert.That(post.Text, Does.Contain("Bulk A").And.Contain("Bulk B").And.Contain("2 updates on 2 deals"));
    }

    [Test]
    public async Task Should_post_a_persons_slack_preference_to_their_teams_destination_once()
    {
        var manager = await _host.UserAsync("Maria Manager");
        var owner = await _host.UserAsync("Rita Rep", manager);
        using var writer = _host.Writer();
        await writer.PutAsJsonAsync($"/api/v1/recipients/{owner}/preferences", new { channels = new Dictionary<string, string[]> { ["opportunity-risk"] = ["slack", "email"] } });
        var slack = await DestinationAsync("slack", "/services/T0/B0/west", manager, "cadence-due");
        var deal = await _host.OpportunityAsync("Preferred deal", 5_000m, owner);

        await _host.PublishAsync(NotificationsHost.Scored(deal, owner, ["stalled"], previousFlags: []));

        var deliveries = await _host.DeliveriesAsync($"opportunityId={deal}", d => d.Count == 2 && d.All(x => x.Status == "sent"), "slack and email sent");
        Assert.That(deliveries.Select(d => (d.Channel, d.RecipientId, d.TargetId)), Is.EquivalentTo(new[] { ("slack", owner, (Guid?)slack), ("email", owner, (Guid?)null) }));
        Assert.That(_receiver.RequestsTo("/services/T0/B0/west"), Has.Count.EqualTo(1));
    }
}
