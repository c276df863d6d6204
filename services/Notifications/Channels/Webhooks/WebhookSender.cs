using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Timeout;
using PipelineCoach.ServiceDefaults.Webhooks;

namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>
/// One Standard Webhooks attempt to an endpoint: the notice as <c>{ type, timestamp, data }</c>, the delivery's
/// stable <c>webhook-id</c>, signed with every live secret. The notice is stored with the delivery, so every attempt
/// sends the same bytes. There are no retries within an attempt: the dispatcher retries by
/// <see cref="WebhookRetryLadder"/>, as Svix does. Each endpoint has its own circuit breaker, and an endpoint that
/// has failed for longer than <see cref="WebhookChannelOptions.DisableAfter"/> is disabled until enabled by the API.
/// </summary>
internal sealed partial class WebhookSender(
    WebhookEndpointStore store,
    IHttpClientFactory clients,
    IOptions<WebhookChannelOptions> options,
    TimeProvider clock,
    ILogger<WebhookSender> logger) : IChannelSender, IAsyncDisposable
{
    private readonly ResiliencePipelineRegistry<Guid> _pipelines = new();

    public string Channel => ChannelNames.Webhook;

    /// <summary>The <c>webhook-id</c> of a delivery: the same on every attempt, so receivers can deduplicate.</summary>
    public static string WebhookId(Guid deliveryId) => $"msg_{deliveryId:N}";

    public async Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (message.TargetId is not { } endpointId)
        {
            return SendOutcome.Refused("no webhook endpoint given");
        }

        var target = await store.TargetAsync(endpointId, clock.GetUtcNow(), cancellationToken);
        if (target is null)
        {
            return SendOutcome.Refused($"webhook endpoint {endpointId} does not exist");
        }

        if (!target.IsEnabled)
        {
            return SendOutcome.Refused($"endpoint disabled: {target.DisabledReason}");
        }

        var body = WebhookPayload.Serialize(message.Notice.Signal, message.Notice.OccurredAt, message.Notice);
        using var request = SignedWebhookRequest.Create(new Uri(target.Url), WebhookId(message.DeliveryId), clock.GetUtcNow(), body,
            new StandardWebhooks(target.Secrets));
        var outcome = await AttemptAsync(endpointId, request, cancellationToken);
        if (outcome.IsSent)
        {
            await store.RecordSuccessAsync(endpointId, cancellationToken);
            return outcome;
        }

        if (outcome.IsPermanent)
        {
            LogRefused(logger, message.DeliveryId, endpointId, outcome.Error);
            return outcome;
        }

        var now = clock.GetUtcNow();
        LogFailed(logger, message.DeliveryId, endpointId, message.Attempt, outcome.Error);
        if (await store.RecordFailureAsync(endpointId, now, cancellationToken) is { } failingSince && now - failingSince > options.Value.DisableAfter)
        {
            var reason = $"failing since {failingSince.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)} ({Describe(options.Value.DisableAfter)})";
            await store.DisableAsync(endpointId, reason, now, cancellationToken);
            LogDisabled(logger, endpointId, reason);
            return SendOutcome.Refused($"endpoint disabled: {reason}");
        }

        return outcome;
    }

    public ValueTask DisposeAsync() => _pipelines.DisposeAsync();

    private async Task<SendOutcome> AttemptAsync(Guid endpointId, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pipeline = _pipelines.GetOrAddPipeline<HttpResponseMessage>(endpointId, Configure);
        var client = clients.CreateClient(WebhookChannelServiceExtensions.HttpClientName);
        try
        {
            using var response = await pipeline.ExecuteAsync(
                async token => await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token), cancellationToken);
            return response.IsSuccessStatusCode
                ? SendOutcome.Sent()
                : SendOutcome.Failed($"endpoint answered {(int)response.StatusCode}", RetryAfter(response));
        }
        catch (BrokenCircuitException e)
        {
            return SendOutcome.Failed("endpoint not called: its circuit is open after repeated failures", e.RetryAfter);
        }
        catch (TimeoutRejectedException)
        {
            return SendOutcome.Failed($"endpoint did not answer within {Describe(options.Value.AttemptTimeout)}");
        }
        catch (HttpRequestException e) when (e.InnerException is OutboundTargetRefusedException refused)
        {
            return SendOutcome.Refused(refused.Message);
        }
        catch (HttpRequestException e)
        {
            return SendOutcome.Failed($"endpoint could not be reached: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The client's own timeout, should it ever come first.
            return SendOutcome.Failed($"endpoint did not answer within {Describe(options.Value.AttemptTimeout)}");
        }
    }

    private void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder)
    {
        // Timeouts and breaks are about the network, so they run on the wall clock, not on the service's TimeProvider.
        builder.TimeProvider = TimeProvider.System;
        builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromMinutes(1),
                BreakDuration = TimeSpan.FromSeconds(30),
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(response => !response.IsSuccessStatusCode),
            })
            .AddTimeout(options.Value.AttemptTimeout);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta;
        }

        return retryAfter.Date is { } date ? TimeSpan.FromTicks(Math.Max(0, (date - clock.GetUtcNow()).Ticks)) : null;
    }

    private static string Describe(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } when span.Ticks % TimeSpan.TicksPerDay == 0 => Plural(span.TotalDays, "day"),
        { TotalHours: >= 1 } when span.Ticks % TimeSpan.TicksPerHour == 0 => Plural(span.TotalHours, "hour"),
        { TotalMinutes: >= 1 } when span.Ticks % TimeSpan.TicksPerMinute == 0 => Plural(span.TotalMinutes, "minute"),
        _ => $"{span.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s",
    };

    private static string Plural(double count, string unit) => count == 1 ? $"1 {unit}" : $"{count.ToString(CultureInfo.InvariantCulture)} {unit}s";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to endpoint {EndpointId} failed on attempt {Attempt}: {Error}")]
    private static partial void LogFailed(ILogger logger, Guid deliveryId, Guid endpointId, int attempt, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to endpoint {EndpointId} refused: {Error}")]
    private static partial void LogRefused(ILogger logger, Guid deliveryId, Guid endpointId, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} disabled: {Reason}; enable it through the API once it answers again")]
    private static partial void LogDisabled(ILogger logger, Guid endpointId, string reason);
}
