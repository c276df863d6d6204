using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using PipelineCoach.Notifications.Deliveries;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Timeout;

namespace PipelineCoach.Notifications.Channels.Email;

/// <summary>
/// Sends a notice as a <c>multipart/alternative</c> (text + HTML) through the configured SMTP relays, in order. A relay
/// that fails or times out hands the message to the next, and says so in the log and in the failover counter; a relay
/// that keeps failing has its circuit opened (once in the log) and is skipped until its break ends.
/// </summary>
/// <param name="time">
/// The clock of timeouts, circuit breaks and the <c>Date</c> header. Registered as the wall clock, like every network
/// timeout here, so a test's fake service clock does not freeze them.
/// </param>
internal sealed partial class EmailSender(
    IOptions<EmailOptions> options,
    EmailRenderer renderer,
    EmailMetrics metrics,
    TimeProvider time,
    ILogger<EmailSender> logger) : IChannelSender, IDisposable
{
    public const string BusinessKeyHeader = "X-PipelineCoach-Business-Key";

    private readonly EmailOptions _options = options.Value;
    private readonly ResiliencePipelineRegistry<string> _relayPipelines = new();

    public string Channel => ChannelNames.Email;

    public async Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (message.RecipientEmail is null)
        {
            // The signal may have come before the recipient's UserChanged: worth another attempt on the ladder.
            return SendOutcome.Failed("recipient has no email address (yet)");
        }

        if (!EmailAddresses.IsValid(message.RecipientEmail))
        {
            return SendOutcome.Refused("recipient's email address is not valid");
        }

        MimeMessage mime;
        try
        {
            mime = Compose(message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return SendOutcome.Failed($"the email could not be rendered: {ex.Message}");
        }

        using (mime)
        {
            var errors = new List<string>();
            for (var i = 0; i < _options.Relays.Count; i++)
            {
                var relay = _options.Relays[i];
                var next = i + 1 < _options.Relays.Count ? _options.Relays[i + 1].ToString() : null;
                try
                {
                    await Pipeline(relay).ExecuteAsync(static async (state, ct) => await SendThroughAsync(state.relay, state.mime, state.timeout, ct),
                        (relay, mime, timeout: _options.Timeout), cancellationToken);
                    return SendOutcome.Sent();
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (BrokenCircuitException)
                {
                    // Its opening was logged once; each skipped message is only counted.
                    errors.Add($"{relay}: skipped, its circuit is open after repeated failures");
                    if (next is not null)
                    {
                        metrics.RelayFailovers.Add(1, new("relay", relay.ToString()), new("reason", "circuit-open"));
                    }
                }
                catch (Exception ex)
                {
                    var error = Describe(ex);
                    errors.Add($"{relay}: {error}");
                    if (next is not null)
                    {
                        LogFailover(relay.ToString(), next, message.DeliveryId, error);
                        metrics.RelayFailovers.Add(1, new("relay", relay.ToString()), new("reason", "failed"));
                    }
                    else
                    {
                        LogLastRelayFailed(relay.ToString(), message.DeliveryId, error);
                    }
                }
            }

            return SendOutcome.Failed($"all SMTP relays failed: {string.Join("; ", errors)}");
        }
    }

    private MimeMessage Compose(OutgoingMessage message)
    {
        var email = renderer.Render(message.Notice, message.RecipientName);
        var mime = new MimeMessage
        {
            // Stable across retries, so a retried send is recognisable in relay logs and by the mailbox.
            MessageId = $"{message.DeliveryId:N}@pipelinecoach",
            Subject = email.Subject,
            Date = time.GetUtcNow(),
            Body = new BodyBuilder { TextBody = email.Text, HtmlBody = email.Html }.ToMessageBody(),
        };
        mime.From.Add(new MailboxAddress(_options.FromName, _options.From));
        mime.To.Add(new MailboxAddress(message.RecipientName ?? "", message.RecipientEmail!.Trim()));
        mime.Headers.Add(BusinessKeyHeader, message.BusinessKey);
        return mime;
    }

    private static async ValueTask SendThroughAsync(EmailRelay relay, MimeMessage mime, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // One connection per message: the dispatcher hands over one delivery at a time, and a held-open connection
        // would have to survive relay idle timeouts between them.
        using var smtp = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
        await smtp.ConnectAsync(relay.Host, relay.Port, Security(relay.Security), cancellationToken);
        if (!string.IsNullOrEmpty(relay.Username))
        {
            await smtp.AuthenticateAsync(relay.Username, relay.Password ?? "", cancellationToken);
        }

        await smtp.SendAsync(mime, cancellationToken);
        try
        {
            await smtp.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The relay took the message: failing over now would send it twice.
        }
    }

    private ResiliencePipeline Pipeline(EmailRelay relay) =>
        _relayPipelines.GetOrAddPipeline(relay.ToString(), builder =>
        {
            builder.TimeProvider = time;
            builder
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = 3,
                    SamplingDuration = TimeSpan.FromMinutes(1),
                    BreakDuration = _options.RelayBreakDuration,
                    OnOpened = args =>
                    {
                        LogRelayOpened(relay.ToString(), args.BreakDuration);
                        return ValueTask.CompletedTask;
                    },
                })
                .AddTimeout(_options.Timeout);
        });

    private static SecureSocketOptions Security(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };

    // The relay's own words (MailKit's messages carry status codes, never credentials).
    private string Describe(Exception ex) => ex switch
    {
        TimeoutRejectedException or TimeoutException => $"timed out after {_options.Timeout.TotalSeconds:0.#} s",
        SmtpCommandException command => $"{(int)command.StatusCode} {command.Message}",
        _ => ex.Message,
    };

    public void Dispose() => _relayPipelines.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP relay {Relay} failed, trying {Next} (delivery {DeliveryId}): {Error}")]
    private partial void LogFailover(string relay, string next, Guid deliveryId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP relay {Relay}, the last one, failed (delivery {DeliveryId}): {Error}")]
    private partial void LogLastRelayFailed(string relay, Guid deliveryId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP relay {Relay} keeps failing: it is skipped for {BreakDuration}")]
    private partial void LogRelayOpened(string relay, TimeSpan breakDuration);
}
