using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PipelineCoach.Notifications.Channels;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Chat;

/// <summary>The service with private targets allowed and short in-attempt retries, and one receiver standing in for Slack or Teams.</summary>
internal sealed class ChatSenderHost : IAsyncDisposable
{
    private ChatSenderHost(ServiceHost<Program> host, ChatReceiver receiver, CapturedLogs logs)
    {
        Host = host;
        Receiver = receiver;
        Logs = logs;
    }

    public ServiceHost<Program> Host { get; }

    public ChatReceiver Receiver { get; }

    /// <summary>Everything the service logged.</summary>
    public CapturedLogs Logs { get; }

    public static async Task<ChatSenderHost> StartAsync()
    {
        var logs = new CapturedLogs();
        var host = await ServiceHost<Program>.StartAsync("notifications", new Dictionary<string, string?>
        {
            ["Notifications:Webhooks:AllowPrivateTargets"] = "true",
            ["Notifications:Chat:RetryDelay"] = "00:00:00.010",
            ["Logging:LogLevel:PipelineCoach.Notifications.Channels.Chat"] = "Information",
        }, services => services.AddSingleton<ILoggerProvider>(logs));
        return new ChatSenderHost(host, await ChatReceiver.StartAsync(), logs);
    }

    public IChannelSender Sender(string channel) => Host.Services.GetServices<IChannelSender>().Single(sender => sender.Channel == channel);

    /// <summary>A new destination on the receiver under its own secret path, so tests do not share pacing or a breaker.</summary>
    public async Task<(Guid Id, string Path)> DestinationAsync(string type)
    {
        var path = $"/hooks/{type}/{Guid.NewGuid():N}";
        var created = await ChatApi.CreateAsync(Host, type, Receiver.Url(path));
        return (created["id"]!.GetValue<Guid>(), path);
    }

    public IReadOnlyList<ChatReceiver.Received> RequestsTo(string path) => [.. Receiver.Requests.Where(request => request.Path == path)];

    public async ValueTask DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await Host.DisposeAsync();
    }
}
