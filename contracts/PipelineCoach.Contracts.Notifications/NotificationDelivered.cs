namespace PipelineCoach.Contracts.Notifications;

/// <summary>A notification reached a recipient on a channel.</summary>
public sealed record NotificationDelivered
{
    /// <summary>The stable message name (exchange name) for this contract.</summary>
    public const string MessageName = "notifications.notification-delivered";

    /// <summary>Delivery id.</summary>
    public required string DeliveryId { get; init; }

    /// <summary>Business key of the signal delivered (<c>signal:subject:period</c>).</summary>
    public required string BusinessKey { get; init; }

    /// <summary>18-character id of the recipient user.</summary>
    public required string RecipientId { get; init; }

    /// <summary>Channel: <c>email</c>, <c>slack</c>, <c>teams</c>, <c>webhook</c>.</summary>
    public required string Channel { get; init; }

    /// <summary>When it was delivered.</summary>
    public required DateTimeOffset DeliveredAt { get; init; }
}
