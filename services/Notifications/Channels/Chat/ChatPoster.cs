using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PipelineCoach.Notifications.Channels.Webhooks;
using PipelineCoach.Notifications.Deliveries;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;

namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>
/// Posts one rendered notice to one chat destination, for <see cref="SlackSender"/> and <see cref="TeamsSender"/>:
/// looks the destination up, waits for its turn (<see cref="ChatPacer"/>), and POSTs through the SSRF-guarded
/// client inside a Polly pipeline of its own (two jittered retries on 5xx and transport errors, a circuit breaker,
/// a timeout per try). A 429 is not retried here: its <c>Retry-After</c> goes back to the dispatcher, which owns
/// the waiting. Polly and the pacer run on wall-clock time, like the remote they protect. Never throws for a
/// failed send; never logs or returns the URL, only its <see cref="ChatTarget.UrlDisplay"/>.
/// </summary>
internal sealed class ChatPoster(ChatDestinationStore store, ChatPacer pacer, IHttpClientFactory httpClients,
    IOptions<ChatChannelOptions> options, TimeProvider clock, ILogger<ChatPoster> logger) : IDisposable
{
    private const int MaxErrorBody = 200;
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(30);

    private readonly ResiliencePipelineRegistry<Guid> _pipelines = new();

    public async Task<SendOutcome> PostAsync(OutgoingMessage message, ChatProduct product, Func<Notice, string> render, CancellationToken cancellationToken)
    {
        if (message.TargetId is not { } destinationId)
        {
            return SendOutcome.Refused($"no chat destination was given for this {product.Name} delivery");
        }

        ChatTarget? target;
        try
        {
            target = await store.TargetAsync(destinationId, cancellationToken);
        }
        catch (CryptographicException)
        {
            return SendOutcome.Refused($"the URL of chat destination {destinationId} cannot be decrypted: its Data Protection key is missing");
        }
        catch (DbException e)
        {
            return SendOutcome.Failed($"chat destination {destinationId} could not be read: {e.Message}");
        }

        if (target is null)
        {
            ChatLog.DestinationGone(logger, message.DeliveryId, product.Channel, destinationId);
            return SendOutcome.Refused($"chat destination {destinationId} no longer exists");
        }

        if (target.Type != product.Channel)
        {
            return Logged(message, target, SendOutcome.Refused($"chat destination {destinationId} is a {target.Type} destination, not {product.Channel}"));
        }

        if (!await pacer.WaitForTurnAsync(destinationId, cancellationToken))
        {
            return Logged(message, target, SendOutcome.Failed(
                $"{product.Name} destination {destinationId} has too many messages waiting for their turn", options.Value.PacingMaxWait));
        }

        var body = Encoding.UTF8.GetBytes(render(message.Notice));
        var client = httpClients.CreateClient(WebhookChannelServiceExtensions.HttpClientName);
        var pipeline = _pipelines.GetOrAddPipeline<HttpResponseMessage>(destinationId, Configure);
        try
        {
            using var response = await pipeline.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            }, cancellationToken);
            return Logged(message, target, await OutcomeAsync(product, target, response, cancellationToken));
        }
        catch (BrokenCircuitException e)
        {
            return Logged(message, target, SendOutcome.Failed($"circuit open for destination {destinationId}: {product.Name} kept failing", e.RetryAfter));
        }
        catch (HttpRequestException e) when (e.InnerException is OutboundTargetRefusedException refused)
        {
            return Logged(message, target, SendOutcome.Refused(refused.Message));
        }
        catch (HttpRequestException e)
        {
            return Logged(message, target, SendOutcome.Failed($"{product.Name} could not be reached: {Scrub(e.Message, target)}"));
        }
        catch (Exception e) when (e is TimeoutRejectedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return Logged(message, target, SendOutcome.Failed($"{product.Name} did not answer within {options.Value.RequestTimeout.TotalSeconds:0} s"));
        }
    }

    public void Dispose() => _pipelines.Dispose();

    private void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder)
    {
        var settings = options.Value;
        builder
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                MaxRetryAttempts = 2,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryDelay,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                FailureRatio = 0.5,
                MinimumThroughput = 5,
                SamplingDuration = TimeSpan.FromMinutes(1),
                BreakDuration = TimeSpan.FromSeconds(30),
            })
            .AddTimeout(settings.RequestTimeout);
    }

    // 5xx and transport errors may pass; a refused target, a 4xx or a 429 will not pass by retrying now (nor do they
    // mean the remote is down, so they do not trip the breaker).
    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        HttpRequestException { InnerException: OutboundTargetRefusedException } => false,
        HttpRequestException or TimeoutRejectedException => true,
        null => outcome.Result is { } response && (int)response.StatusCode >= 500,
        _ => false,
    };

    private async Task<SendOutcome> OutcomeAsync(ChatProduct product, ChatTarget target, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return SendOutcome.Sent();
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return SendOutcome.Failed($"rate limited by {product.Name}", RetryAfter(response));
        }

        var answer = $"{product.Name} answered {(int)response.StatusCode}: {Scrub(await ErrorBodyAsync(response, cancellationToken), target)}";
        return product.GoneStatuses.Contains(response.StatusCode)
            ? SendOutcome.Refused($"{answer} (the webhook URL is no longer valid)")
            : SendOutcome.Failed(answer);
    }

    private TimeSpan RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            return delta;
        }

        // An HTTP date is measured against the remote's own Date header where it sent one: no clock skew.
        if (response.Headers.RetryAfter?.Date is { } date)
        {
            var wait = date - (response.Headers.Date ?? clock.GetUtcNow());
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return DefaultRetryAfter;
    }

    // The start of an error answer (Slack's is a word such as no_service), read bounded in size and time.
    private async Task<string> ErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            var buffer = new byte[MaxErrorBody * 4];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, timeout.Token);
            var text = Encoding.UTF8.GetString(buffer, 0, read).Trim();
            return text.Length > MaxErrorBody ? text[..MaxErrorBody] : text;
        }
        catch (Exception e) when (e is IOException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return "(no readable body)";
        }
    }

    // Transport errors name host and port only, and a receiver may echo anything: keep the URL out either way.
    private static string Scrub(string text, ChatTarget target)
    {
        var scrubbed = text.Replace(target.Url.AbsoluteUri, target.UrlDisplay, StringComparison.OrdinalIgnoreCase)
            .Replace(target.Url.OriginalString, target.UrlDisplay, StringComparison.OrdinalIgnoreCase);
        return target.Url.PathAndQuery.Length > 1 ? scrubbed.Replace(target.Url.PathAndQuery, "/…", StringComparison.OrdinalIgnoreCase) : scrubbed;
    }

    private SendOutcome Logged(OutgoingMessage message, ChatTarget target, SendOutcome outcome)
    {
        if (outcome.IsSent)
        {
            ChatLog.Posted(logger, message.DeliveryId, target.Type, target.Id, target.UrlDisplay, message.Attempt);
        }
        else
        {
            ChatLog.NotPosted(logger, message.DeliveryId, target.Type, target.Id, target.UrlDisplay, message.Attempt, outcome.IsPermanent, outcome.Error);
        }

        return outcome;
    }
}
