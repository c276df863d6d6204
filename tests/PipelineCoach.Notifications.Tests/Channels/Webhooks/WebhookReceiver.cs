using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PipelineCoach.ServiceDefaults.Webhooks;

namespace PipelineCoach.Notifications.Tests.Channels.Webhooks;

/// <summary>
/// An internal tool's webhook endpoint: Kestrel on 127.0.0.1 with a free port, recording every request and
/// answering with the status it is told to (204 by default), or not at all.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Answer _answer = new(StatusCodes.Status204NoContent, null, Hang: false);

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Url = $"{address}/hooks/pipeline-coach";
        return receiver;
    }

    /// <summary>Answers every following request with <paramref name="status"/> (and a <c>Retry-After</c> value if given).</summary>
    public void AnswerWith(int status, string? retryAfter = null) => _answer = new Answer(status, retryAfter, Hang: false);

    /// <summary>Takes every following request and never answers it.</summary>
    public void NeverAnswer() => _answer = new Answer(0, null, Hang: true);

    public async ValueTask DisposeAsync()
    {
        // Idempotent: a test may stop the receiver early to make the endpoint unreachable.
        if (!_stopped.TrySetResult())
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers;
        _received.Enqueue(new ReceivedWebhook(headers[StandardWebhooks.IdHeader].ToString(), headers[StandardWebhooks.TimestampHeader].ToString(),
            headers[StandardWebhooks.SignatureHeader].ToString(), context.Request.ContentType, body.ToArray()));

        var answer = _answer;
        if (answer.Hang)
        {
            await Task.WhenAny(_stopped.Task, Task.Delay(Timeout.Infinite, context.RequestAborted));
            return;
        }

        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = answer.RetryAfter;
        }

        if (answer.Status is >= 300 and < 400)
        {
            context.Response.Headers.Location = "http://127.0.0.1:9/elsewhere";
        }
    }

    private sealed record Answer(int Status, string? RetryAfter, bool Hang);
}
