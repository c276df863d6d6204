using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PipelineCoach.Notifications.Tests.Chat;

/// <summary>The service with short in-attempt retries and every log captured, and one receiver standing in for Slack or Teams.</summary>
internal sealed class ChatSenderHost : IAsyncDisposable
{
    private ChatSenderHost(NotificationsHost notifications, LocalReceiver receiver, CapturedLogs logs)
    {
        Notifications = notifications;
        Receiver = receiver;
        Logs = logs;
    }

    public NotificationsHost Notifications { get; }

    public LocalReceiver Receiver { get; }

    /// <summary>Everything the service logged.</summary>
    public CapturedLogs Logs { get; }

    public static async Task<ChatSenderHost> StartAsync()
    {
        var logs = new CapturedLogs();
        var notifications = await NotificationsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Notifications:Chat:RetryDelay"] = "00:00:00.010",
            ["Logging:LogLevel:PipelineCoach.Notifications.Channels.Chat"] = "Information",
        }, services => services.AddSingleton<ILoggerProvider>(logs));
        return new ChatSenderHost(notifications, await LocalReceiver.StartAsync(), logs);
    }

    /// <summary>A new destination on the receiver under its own secret path, so tests do not share pacing or a breaker.</summary>
    public async Task<(Guid Id, string Path)> DestinationAsync(string type)
    {
        var path = $"/hooks/{type}/{Guid.NewGuid():N}";
        var created = await Notifications.CreateDestinationAsync(type, Receiver.UrlOf(path));
        return (created["id"]!.GetValue<Guid>(), path);
    }

    public async ValueTask DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await Notifications.DisposeAsync();
    }
}
