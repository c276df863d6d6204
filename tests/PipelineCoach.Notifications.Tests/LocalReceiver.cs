using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PipelineCoach.Notifications.Tests;

/// <summary>
/// Kestrel on 127.0.0.1 with a free port, standing in for Slack, Teams or an internal tool's webhook endpoint. It
/// records every POST in arrival order (path, headers, raw body) and answers each with the next answer scripted for
/// its path, else with the standing answer: 200 <c>ok</c> until told otherwise, or no answer at all.
/// </summary>
internal sealed class LocalReceiver : IAsyncDisposable
{
    private const string WebhookPath = "/hooks/pipeline-coach";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ScriptedAnswer>> _scripted = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ScriptedAnswer _standing = new(StatusCodes.Status200OK, "ok", RetryAfter: null, Hang: false);

    private LocalReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>An internal tool's webhook URL on this receiver.</summary>
    public string Url => UrlOf(WebhookPath);

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => [.. _received];

    public static async Task<LocalReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new LocalReceiver(builder.Build());
        receiver._app.MapPost("/{**path}", receiver.HandleAsync);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.BaseAddress = new Uri(address);
        return receiver;
    }

    /// <summary>A URL on this receiver with its own path (for chat, a secret-looking one, as Slack's and Teams' are).</summary>
    public string UrlOf(string path) => new Uri(BaseAddress, path).ToString();

    public IReadOnlyList<ReceivedRequest> RequestsTo(string path) => [.. _received.Where(request => request.Path == path)];

    /// <summary>Scripts the next answer to a request for <paramref name="path"/> (after those scripted before it).</summary>
    public void Answer(string path, int status, string body = "", string? retryAfter = null) =>
        _scripted.GetOrAdd(path, _ => new ConcurrentQueue<ScriptedAnswer>()).Enqueue(new ScriptedAnswer(status, body, retryAfter, Hang: false));

    /// <summary>Answers every following request not scripted otherwise with <paramref name="status"/> (and a <c>Retry-After</c> if given).</summary>
    public void AnswerWith(int status, string? retryAfter = null) => _standing = new ScriptedAnswer(status, "", retryAfter, Hang: false);

    /// <summary>Takes every following request not scripted otherwise and never answers it.</summary>
    public void NeverAnswer() => _standing = new ScriptedAnswer(0, "", RetryAfter: null, Hang: true);

    public async ValueTask DisposeAsync()
    {
        // Idempotent: a test may stop the receiver early to make its URLs unreachable.
        if (!_stopped.TrySetResult())
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        _received.Enqueue(new ReceivedRequest(request.Path, request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            request.ContentType, body.ToArray()));

        var answer = _scripted.TryGetValue(request.Path, out var scripted) && scripted.TryDequeue(out var next) ? next : _standing;
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

        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }

    private sealed record ScriptedAnswer(int Status, string Body, string? RetryAfter, bool Hang);
}
