using System.Text.Json.Nodes;
using PipelineCoach.Notifications.Channels;

namespace PipelineCoach.Notifications.Tests.Chat;

/// <summary>The Teams sender against a local receiver standing in for a Workflows webhook.</summary>
public sealed class When_posting_to_teams
{
    private ChatSenderHost _chat = null!;
    private IChannelSender _teams = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _chat = await ChatSenderHost.StartAsync();
        _teams = _chat.Notifications.Sender(ChannelNames.Teams);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _chat.DisposeAsync();

    [Test]
    public async Task Should_post_the_workflows_envelope_with_an_adaptive_card()
    {
        var (id, path) = await _chat.DestinationAsync("teams");
        _chat.Receiver.Answer(path, 202);

        var outcome = await _teams.SendAsync(SampleNotices.Attempt(ChannelNames.Teams, id), CancellationToken.None);

        var request = _chat.Receiver.RequestsTo(path).Single();
        var json = JsonNode.Parse(request.Text)!;
        var attachments = json["attachments"]!.AsArray();
        var content = attachments[0]!["content"]!;
        var body = content["body"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(outcome.IsSent, Is.True, outcome.Error);
            Assert.That(request.ContentType, Does.StartWith("application/json"));
            Assert.That(json["type"]!.GetValue<string>(), Is.EqualTo("message"));
            Assert.That(attachments, Has.Count.EqualTo(1));
            Assert.That(attachments[0]!["contentType"]!.GetValue<string>(), Is.EqualTo("application/vnd.microsoft.card.adaptive"));
            Assert.That(attachments[0]!.AsObject().ContainsKey("contentUrl") && attachments[0]!["contentUrl"] is null, Is.True);
            Assert.That(content["type"]!.GetValue<string>(), Is.EqualTo("AdaptiveCard"));
            Assert.That(content["version"]!.GetValue<string>(), Is.EqualTo("1.4"));
            Assert.That(content["$schema"]!.GetValue<string>(), Is.EqualTo("http://adaptivecards.io/schemas/adaptive-card.json"));
            Assert.That(body[0]!["type"]!.GetValue<string>(), Is.EqualTo("TextBlock"));
            Assert.That(body[0]!["text"]!.GetValue<string>(), Is.EqualTo("Acme renewal is at risk: slipping"));
            Assert.That(body[0]!["weight"]!.GetValue<string>(), Is.EqualTo("Bolder"));
            Assert.That(body[0]!["size"]!.GetValue<string>(), Is.EqualTo("Medium"));
            Assert.That(body.Where(block => block!["type"]!.GetValue<string>() == "TextBlock").Select(block => block!["wrap"]!.GetValue<bool>()), Is.All.True);
            Assert.That(body.Single(block => block!["type"]!.GetValue<string>() == "FactSet")!["facts"]!.AsArray()
                .Select(fact => $"{fact!["title"]}={fact["value"]}"), Is.EqualTo(new[] { "Deal=Acme renewal", "Amount=120,000", "Owner=Riley Rep" }));
            Assert.That(request.Text, Does.Contain("- Grade dropped from B to D"));
        });
    }

    [TestCase(401)]
    [TestCase(403)]
    [TestCase(404)]
    public async Task Should_refuse_when_the_flow_is_gone(int status)
    {
        var (id, path) = await _chat.DestinationAsync("teams");
        _chat.Receiver.Answer(path, status, "flow not found");

        var outcome = await _teams.SendAsync(SampleNotices.Attempt(ChannelNames.Teams, id), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.IsPermanent, Is.True);
            Assert.That(outcome.Error, Does.StartWith($"Teams answered {status}: flow not found"));
            Assert.That(_chat.Receiver.RequestsTo(path), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Should_fail_with_a_retry_after_given_as_a_date()
    {
        var (id, path) = await _chat.DestinationAsync("teams");
        _chat.Receiver.Answer(path, 429, "", retryAfter: DateTimeOffset.UtcNow.AddHours(1).ToString("R"));

        var outcome = await _teams.SendAsync(SampleNotices.Attempt(ChannelNames.Teams, id), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Error, Is.EqualTo("rate limited by Teams"));
            // Retry-After and the response's Date header both carry whole seconds, and the server refreshes its Date once a
            // second: the wait measured between them can exceed the hour by up to that second.
            Assert.That(outcome.RetryAfter, Is.GreaterThan(TimeSpan.FromMinutes(50)).And.LessThanOrEqualTo(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(2)));
        });
    }
}
