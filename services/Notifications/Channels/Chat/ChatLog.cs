namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>The chat channels' log lines. A destination appears by id and <c>scheme://host/…</c>, never by URL.</summary>
internal static partial class ChatLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Chat destination {DestinationId} saved ({Type}, {UrlDisplay})")]
    public static partial void DestinationSaved(ILogger logger, Guid destinationId, string type, string urlDisplay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat destination {DestinationId} deleted")]
    public static partial void DestinationDeleted(ILogger logger, Guid destinationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} on {Channel} refused: chat destination {DestinationId} no longer exists")]
    public static partial void DestinationGone(ILogger logger, Guid deliveryId, string channel, Guid destinationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} posted to {Channel} destination {DestinationId} ({UrlDisplay}), attempt {Attempt}")]
    public static partial void Posted(ILogger logger, Guid deliveryId, string channel, Guid destinationId, string urlDisplay, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} not posted to {Channel} destination {DestinationId} ({UrlDisplay}), attempt {Attempt}, permanent {IsPermanent}: {Error}")]
    public static partial void NotPosted(ILogger logger, Guid deliveryId, string channel, Guid destinationId, string urlDisplay, int attempt, bool isPermanent, string? error);
}
