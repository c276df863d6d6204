using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PipelineCoach.Notifications.Channels;
using PipelineCoach.Notifications.Channels.Email;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Email;

/// <summary>The email sender against the fixtures' maildev, and against relays that are down or do not answer.</summary>
public sealed class When_email_is_sent_through_smtp_relays
{
    private readonly List<IDisposable> _disposables = [];
    private IMaildevServer _maildev = null!;

    [SetUp]
    public async Task FindMaildevAsync() => _maildev = await TestServers.MaildevAsync();

    [TearDown]
    public void DisposeAll()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        _disposables.Clear();
    }

    [Test]
    public async Task Should_try_again_later_for_a_recipient_whose_address_is_not_known_yet()
    {
        var (sender, _, _) = Sender(Maildev);

        var outcome = await sender.SendAsync(Message() with { RecipientEmail = null }, CancellationToken.None);

        Assert.That((outcome.IsSent, outcome.IsPermanent, outcome.Error), Is.EqualTo((false, false, "recipient has no email address (yet)")));
    }

    [Test]
    public async Task Should_deliver_html_and_text_with_the_title_as_subject_and_the_delivery_id_as_message_id()
    {
        var (sender, _, _) = Sender(Maildev);
        var message = Message();

        var outcome = await sender.SendAsync(message, CancellationToken.None);

        Assert.That(outcome.IsSent, Is.True, outcome.Error);
        var read = await CaughtAsync(message.RecipientEmail!);
        Assert.Multiple(() =>
        {
            Assert.That(read.Subject, Is.EqualTo("Acme renewal is at risk: slipping"));
            Assert.That(read.To.Select(a => (a.Address, a.Name)), Is.EqualTo(new[] { (message.RecipientEmail, "Riley Rep") }));
            Assert.That(read.From.Select(a => (a.Address, a.Name)), Is.EqualTo(new[] { ("coach@example.test", "Pipeline Coach") }));
            Assert.That(read.Html, Does.Contain("<h1").And.Contain("Acme renewal").And.Contain("$120,000"));
            Assert.That(read.Text, Does.Contain("Acme renewal · $120,000 · Riley Rep").And.Not.Contain("<"));
            Assert.That(read.Header("message-id"), Is.EqualTo($"<{message.DeliveryId:N}@pipelinecoach>"));
            Assert.That(read.Header("x-pipelinecoach-business-key"), Is.EqualTo(message.BusinessKey));
        });
    }

    [Test]
    public async Task Should_keep_the_message_id_when_a_delivery_is_retried()
    {
        var (sender, _, _) = Sender(Maildev);
        var message = Message();

        await sender.SendAsync(message, CancellationToken.None);
        await sender.SendAsync(message with { Attempt = 2 }, CancellationToken.None);

        var caught = await Eventually.ValueAsync(() => _maildev.Mail.ToAsync(message.RecipientEmail!), m => m.Count == 2, "maildev to catch both attempts");
        Assert.That(caught.Select(m => m.Header("message-id")), Is.All.EqualTo($"<{message.DeliveryId:N}@pipelinecoach>"));
    }

    [Test]
    public async Task Should_fail_over_to_the_next_relay_and_log_and_count_the_failover()
    {
        var down = ClosedPort();
        var (sender, log, failovers) = Sender(down, Maildev);
        var message = Message();

        var outcome = await sender.SendAsync(message, CancellationToken.None);

        Assert.That(outcome.IsSent, Is.True, outcome.Error);
        Assert.That((await CaughtAsync(message.RecipientEmail!)).Subject, Is.EqualTo("Acme renewal is at risk: slipping"));
        var warning = log.Entries.Single(e => e.Level == LogLevel.Warning);
        Assert.Multiple(() =>
        {
            Assert.That(warning.Message, Does.StartWith($"SMTP relay {down} failed, trying {Maildev}"));
            Assert.That(warning.Message, Does.Contain(message.DeliveryId.ToString()));
            Assert.That(failovers.Measurements.Select(m => (m.Value, m.Tags["relay"], m.Tags["reason"])),
                Is.EqualTo(new[] { (1L, (object?)down.ToString(), (object?)"failed") }));
        });
    }

    [Test]
    public async Task Should_fail_naming_every_relay_when_all_are_down_without_throwing()
    {
        var (first, second) = (ClosedPort(), ClosedPort());
        var (sender, log, failovers) = Sender(first, second);

        var outcome = await sender.SendAsync(Message(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.IsSent, Is.False);
            Assert.That(outcome.IsPermanent, Is.False, "a relay may come back: the dispatcher retries");
            Assert.That(outcome.Error, Does.StartWith("all SMTP relays failed: ").And.Contain($"{first}: ").And.Contain($"{second}: "));
            Assert.That(log.Entries.Count(e => e.Level == LogLevel.Warning), Is.EqualTo(2), "the failover, and the last relay's failure");
            Assert.That(failovers.Measurements, Has.Count.EqualTo(1), "only the first relay handed the message on");
        });
    }

    [Test]
    public async Task Should_give_up_on_a_relay_that_does_not_answer_within_the_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();  // accepts connections (the backlog does) and never says a word
        var mute = new EmailRelay { Host = "127.0.0.1", Port = ((IPEndPoint)silent.LocalEndpoint).Port, Security = SmtpSecurity.None };
        var (sender, log, _) = Sender(TimeSpan.FromSeconds(1), TimeProvider.System, mute, Maildev);
        var message = Message();

        var outcome = await sender.SendAsync(message, CancellationToken.None);

        Assert.That(outcome.IsSent, Is.True, outcome.Error);
        Assert.That(log.Entries.Single(e => e.Level == LogLevel.Warning).Message, Does.StartWith($"SMTP relay {mute} failed, trying {Maildev}").And.EndWith("timed out after 1 s"));
    }

    [Test]
    public async Task Should_skip_a_relay_whose_circuit_opened_logging_each_opening_once()
    {
        var clock = TestClock.Start();
        var down = ClosedPort();
        var (sender, log, failovers) = Sender(TimeSpan.FromSeconds(30), clock, down, Maildev);

        for (var i = 0; i < 5; i++)
        {
            Assert.That((await sender.SendAsync(Message(), CancellationToken.None)).IsSent, Is.True);
        }

        clock.Advance(TimeSpan.FromSeconds(31));  // the break ends: the relay is tried once more, fails, and opens again
        Assert.That((await sender.SendAsync(Message(), CancellationToken.None)).IsSent, Is.True);

        var warnings = log.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(warnings.Count(w => w.StartsWith($"SMTP relay {down} failed, trying", StringComparison.Ordinal)), Is.EqualTo(4), "three before the circuit opened, one when its break ended");
            Assert.That(warnings.Count(w => w.StartsWith($"SMTP relay {down} keeps failing", StringComparison.Ordinal)), Is.EqualTo(2), "one per opening");
            Assert.That(failovers.Measurements.Select(m => m.Tags["reason"]), Is.EqualTo(new[] { "failed", "failed", "failed", "circuit-open", "circuit-open", "failed" }));
        });
    }

    [TestCase("", "recipient's email address is not valid")]
    [TestCase("not-an-address", "recipient's email address is not valid")]
    [TestCase("\"Someone\" <someone@example.test>, other@example.test", "recipient's email address is not valid")]
    public async Task Should_refuse_a_recipient_without_a_usable_address(string? address, string error)
    {
        var (sender, _, _) = Sender(Maildev);

        var outcome = await sender.SendAsync(Message() with { RecipientEmail = address }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.IsSent, Is.False);
            Assert.That(outcome.IsPermanent, Is.True);
            Assert.That(outcome.Error, Is.EqualTo(error));
        });
    }

    [Test]
    public void Should_throw_only_when_its_token_is_cancelled()
    {
        var (sender, _, _) = Sender(Maildev);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.That(async () => await sender.SendAsync(Message(), cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    private EmailRelay Maildev => new() { Host = _maildev.SmtpHost, Port = _maildev.SmtpPort, Security = SmtpSecurity.Auto };

    private (EmailSender Sender, ListLogger<EmailSender> Log, CounterRecorder Failovers) Sender(params EmailRelay[] relays) =>
        Sender(TimeSpan.FromSeconds(30), TimeProvider.System, relays);

    private (EmailSender Sender, ListLogger<EmailSender> Log, CounterRecorder Failovers) Sender(TimeSpan timeout, TimeProvider clock, params EmailRelay[] relays)
    {
        var provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _disposables.Add(provider);
        var meters = provider.GetRequiredService<IMeterFactory>();
        var failovers = new CounterRecorder(meters, EmailMetrics.MeterName, EmailMetrics.RelayFailoversName);
        _disposables.Add(failovers);
        var log = new ListLogger<EmailSender>();
        var options = Options.Create(new EmailOptions { From = "coach@example.test", Relays = [.. relays], Timeout = timeout });
        var sender = new EmailSender(options, new EmailRenderer(), new EmailMetrics(meters), clock, log);
        _disposables.Add(sender);
        return (sender, log, failovers);
    }

    private static OutgoingMessage Message() => new()
    {
        DeliveryId = Guid.NewGuid(),
        BusinessKey = $"opportunity-risk:{Guid.NewGuid():N}:2026-12-01",
        Channel = ChannelNames.Email,
        RecipientId = "0055g00000RileyAAA",
        RecipientName = "Riley Rep",
        RecipientEmail = $"rep-{Guid.NewGuid():N}@example.test",  // tests share maildev: each reads only its own mail
        Attempt = 1,
        Notice = SampleNotices.Risk,
    };

    /// <summary>A loopback port nothing listens on: bound to find a free one, then closed.</summary>
    private static EmailRelay ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new EmailRelay { Host = "127.0.0.1", Port = port, Security = SmtpSecurity.None };
    }

    private async Task<MaildevMessage> CaughtAsync(string to)
    {
        var caught = (await Eventually.ValueAsync(() => _maildev.Mail.ToAsync(to), m => m.Count > 0, $"maildev to catch the mail to {to}")).Single();
        return await _maildev.Mail.GetAsync(caught.Id) ?? throw new InvalidOperationException($"maildev lost {caught.Id}");
    }
}
