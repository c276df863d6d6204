using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Notifications.Channels;
using PipelineCoach.Notifications.Channels.Chat;
using PipelineCoach.Notifications.Deliveries;
using PipelineCoach.Notifications.Secrets;

namespace PipelineCoach.Notifications.Tests.Chat;

/// <summary>The Slack sender against a local receiver standing in for Slack's incoming webhooks.</summary>
public sealed class When_posting_to_slack
{
    private ChatSenderHost _chat = null!;
    private IChannelSender _slack = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _chat = await ChatSenderHost.StartAsync();
        _slack = _chat.Notifications.Sender(ChannelNames.Slack);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _chat.DisposeAsync();

    [Test]
    public async Task Should_post_block_kit_with_the_title_and_lines()
    {
        var (id, path) = await _chat.DestinationAsync("slack");

        var outcome = await _slack.SendAsync(SampleNotices.Attempt(ChannelNames.Slack, id), CancellationToken.None);

        var request = _chat.Receiver.RequestsTo(path).Single();
        var json = JsonNode.Parse(request.Text)!;
        var blocks = json["blocks"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(outcome.IsSent, Is.True, outcome.Error);
            Assert.That(request.ContentType, Does.StartWith("application/json"));
            Assert.That(json["text"]!.GetValue<string>(), Is.EqualTo("Acme renewal is at risk: slipping"));
            Assert.That(blocks[0]!["type"]!.GetValue<string>(), Is.EqualTo("header"));
            Assert.That(blocks[0]!["text"]!["text"]!.GetValue<string>(), Is.EqualTo("Acme renewal is at risk: slipping"));
            Assert.That(request.Text, Does.Contain("• Close date pushed out a third time, to 15 Jan 2027"));
            Assert.That(blocks.Select(b => b!["text"]?["text"]?.GetValue<string>()), Has.Member("*What is missing now*\n• What happens next, and when? Agree a dated next step with the customer.\n• Who signs? No economic buyer is named yet."));
            Assert.That(JsonNode.DeepEquals(json, SlackMessageOf(SampleNotices.Risk)), Is.True);
        });
    }

    [Test]
    public async Task Should_fail_with_the_retry_after_slack_asks_for()
    {
        var (id, path) = await _chat.DestinationAsync("slack");
        _chat.Receiver.Answer(path, 429, "rate_limited", retryAfter: "7");

        var outcome = await _slack.SendAsync(SampleNotices.Attempt(ChannelNames.Slack, id), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.IsSent, Is.False);
            Assert.That(outcome.IsPermanent, Is.False);
            Assert.That(outcome.Error, Is.EqualTo("rate limited by Slack"));
            Assert.That(outcome.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(_chat.Receiver.RequestsTo(path), Has.Count.EqualTo(1), "a 429 is not retried within the attempt");
        });
    }

    [Test]
    public async Task Should_wait_30_seconds_after_a_429_without_retry_after()
    {
        var (id, path) = await _chat.DestinationAsync("slack");
        _chat.Receiver.Answer(path, 429, "rate_limited");

        var outcome = await _slack.SendAsync(SampleNotices.Attempt(ChannelNames.Slack, id), CancellationToken.None);

        Assert.That(outcome.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [TestCase(410, "channel_is_archived")]
    [TestCase(404, "no_service")]
    public async Task Should_refuse_when_slack_says_the_webhook_is_gone(int status, string body)
    {
        var (id, path) = await _chat.DestinationAsync("slack");
        _chat.Receiver.Answer(path, status, body);

        var outcome = await _slack.SendAsync(SampleNotices.Attempt(ChannelNames.Slack, id), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.IsSent, Is.False);
            Assert.That(outcome.IsPermanent, Is.True);
            Assert.That(outcome.Error, Does.StartWith($"Slack answered {status}: {body}"));
            Assert.That(_chat.Receiver.RequestsTo(path), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Should_be_sent_after_an_in_attempt_retry_of_a_500()
    {
        var (id, path) = await _chat.DestinationAsync("slack");
        _chat.Receiver.Answer(path, 500, "oops");

        var outcome = await _slack.SendAsync(SampleNotices.Attempt(ChannelNames.Slack, id), CancellationToken.None);

        var requests = _chat.Receiver.RequestsTo(path);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.IsSent, Is.True, outcome.Error);
            Assert.That(requests, Has.Count.EqualTo(2));
            Assert.That(requests[1].Body, Is.EqualTo(requests[0].Body));
        });
    }

    [Test]
    public async Task Should_fail_with_the_start_of_the_answer_but_never_the_url()
    {
        var (id, path) = await _chat.DestinationAsync("slack");
        _chat.Receiver.Answer(path, 400, $"invalid_payload at {path} " + new string('x', 500));

        var outcome = await _slack.SendAsync(SampleNotices.Attempt(ChannelNames.Slack, id), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.IsPermanent, Is.False);
            Assert.That(outcome.Error, Does.StartWith("Slack answered 400: invalid_payload at /…"));
            Assert.That(outcome.Error, Does.Not.Contain(path[1..]));
            Assert.That(outcome.Error!.Length, Is.LessThan(260));
            Assert.That(_chat.Receiver.RequestsTo(path), Has.Count.EqualTo(1), "a 4xx is not retried within the attempt");
        });
    }

    [Test]
    public async Task Should_open_the_circuit_of_a_destination_that_keeps_failing()
    {
        var (id, path) = await _chat.DestinationAsync("slack");
        for (var i = 0; i < 20; i++)
        {
            _chat.Receiver.Answer(path, 503, "down");
        }

        SendOutcome? outcome = null;
        for (var send = 0; send < 5 && outcome?.Error?.StartsWith("circuit open", StringComparison.Ordinal) != true; send++)
        {
            outcome = await _slack.SendAsync(SampleNotices.Attempt(ChannelNames.Slack, id), CancellationToken.None);
        }

        var reached = _chat.Receiver.RequestsTo(path).Count;
        var whileOpen = await _slack.SendAsync(SampleNotices.Attempt(ChannelNames.Slack, id), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome!.Error, Does.StartWith($"circuit open for destination {id}"));
            Assert.That(whileOpen.Error, Does.StartWith($"circuit open for destination {id}"));
            Assert.That(whileOpen.IsPermanent, Is.False);
            Assert.That(_chat.Receiver.RequestsTo(path), Has.Count.EqualTo(reached), "an open circuit sends nothing");
        });
    }

    [Test]
    public async Task Should_post_two_messages_to_one_destination_in_order_both_sent()
    {
        var (id, path) = await _chat.DestinationAsync("slack");
        var first = SampleNotices.Risk with { Title = "First of two" };
        var second = SampleNotices.Risk with { Title = "Second of two" };

        var outcomes = new[]
        {
            await _slack.SendAsync(SampleNotices.Attempt(ChannelNames.Slack, id, first), CancellationToken.None),
            await _slack.SendAsync(SampleNotices.Attempt(ChannelNames.Slack, id, second), CancellationToken.None),
        };

        Assert.That(outcomes.Select(o => o.IsSent), Is.EqualTo(new[] { true, true }), string.Join("; ", outcomes.Select(o => o.Error)));
        Assert.That(_chat.Receiver.RequestsTo(path).Select(r => JsonNode.Parse(r.Text)!["text"]!.GetValue<string>()), Is.EqualTo(new[] { "First of two", "Second of two" }));
    }

    [Test]
    public async Task Should_never_log_the_url()
    {
        var (id, path) = await _chat.DestinationAsync("slack");
        _chat.Receiver.Answer(path, 500, "oops");
        _chat.Receiver.Answer(path, 500, "oops");
        _chat.Receiver.Answer(path, 500, "oops");

        await _slack.SendAsync(SampleNotices.Attempt(ChannelNames.Slack, id), CancellationToken.None);
        await _slack.SendAsync(SampleNotices.Attempt(ChannelNames.Slack, id), CancellationToken.None);

        var secret = path.Split('/')[^1];
        var mentions = _chat.Logs.Messages.Where(message => message.Contains(id.ToString(), StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(mentions, Has.Count.GreaterThanOrEqualTo(3), "the save, the failure and the post are logged");
            Assert.That(mentions, Has.Some.Contains("http://127.0.0.1/…"));
            Assert.That(_chat.Logs.Messages, Has.None.Contains(secret));
        });
    }

    [Test]
    public async Task Should_refuse_a_destination_that_no_longer_exists()
    {
        var (id, path) = await _chat.DestinationAsync("slack");
        using var client = _chat.Notifications.Writer();
        await client.DeleteAsync($"{ChatApi.Route}/{id}");

        var outcome = await _slack.SendAsync(SampleNotices.Attempt(ChannelNames.Slack, id), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.IsPermanent, Is.True);
            Assert.That(outcome.Error, Is.EqualTo($"chat destination {id} no longer exists"));
            Assert.That(_chat.Receiver.RequestsTo(path), Is.Empty);
        });
    }

    [Test]
    public async Task Should_refuse_a_teams_destination()
    {
        var (id, path) = await _chat.DestinationAsync("teams");

        var outcome = await _slack.SendAsync(SampleNotices.Attempt(ChannelNames.Slack, id), CancellationToken.None);

        Assert.That(outcome.IsPermanent, Is.True);
        Assert.That(_chat.Receiver.RequestsTo(path), Is.Empty);
    }

    [Test]
    public async Task Should_refuse_a_destination_whose_address_the_guarded_connector_refuses()
    {
        // Registration refuses this URL; a row written before a policy change (or by hand) is refused at connect time.
        var (id, _) = await _chat.DestinationAsync("slack");
        var protector = _chat.Notifications.Host.Services.GetRequiredService<SecretProtector>();
        await _chat.Notifications.ExecuteAsync("UPDATE chat_destinations SET url = @url WHERE id = @id",
            new { id, url = protector.Protect("http://169.254.169.254/latest/meta-data") });

        var outcome = await _slack.SendAsync(SampleNotices.Attempt(ChannelNames.Slack, id), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.IsPermanent, Is.True);
            Assert.That(outcome.Error, Does.Contain("refused").And.Contain("169.254.169.254"));
        });
    }

    private static JsonNode SlackMessageOf(Notice notice) => JsonNode.Parse(SlackMessage.ToJson(notice))!;
}
