using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PipelineCoach.Notifications.Tests.Chat;

/// <summary>
/// A Kestrel server on 127.0.0.1 standing in for Slack or Teams: it records every POST in arrival order and answers
/// with the answers scripted for its path in turn, then 200 <c>ok</c>.
/// </summary>
internal sealed class ChatReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ScriptedAnswer>> _answers = new();
    private readonly ConcurrentQueue<Received> _received = new();

    private ChatReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<Received> Requests => [.. _received];

    public static async Task<ChatReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var receiver = new ChatReceiver(builder.Build());
        receiver._app.MapPost("/{**path}", receiver.ReceiveAsync);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.BaseAddress = new Uri(address);
        return receiver;
    }

    /// <summary>A webhook URL on this receiver with a secret-looking path, as Slack's and Teams' are.</summary>
    public string Url(string secretPath) => new Uri(BaseAddress, secretPath).ToString();

    /// <summary>Scripts the next answer to requests for <paramref name="path"/> (after those scripted before it).</summary>
    public void Answer(string path, int status, string body = "", string? retryAfter = null) =>
        _answers.GetOrAdd(path, _ => new ConcurrentQueue<ScriptedAnswer>()).Enqueue(new ScriptedAnswer(status, body, retryAfter));

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        _received.Enqueue(new Received(context.Request.Path, context.Request.ContentType, await reader.ReadToEndAsync()));
        var answer = _answers.TryGetValue(context.Request.Path, out var answers) && answers.TryDequeue(out var next) ? next : new ScriptedAnswer(200, "ok", null);
        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = answer.RetryAfter;
        }

        await context.Response.WriteAsync(answer.Body);
    }

    public sealed record Received(string Path, string? ContentType, string Body);

    private sealed record ScriptedAnswer(int Status, string Body, string? RetryAfter);
}
