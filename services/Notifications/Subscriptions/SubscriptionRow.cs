namespace PipelineCoach.Notifications.Subscriptions;

/// <summary>A row of <c>subscriptions</c>.</summary>
internal sealed class SubscriptionRow
{
    public Guid Id { get; init; }

    public string SubscriberId { get; init; } = "";

    public string Signal { get; init; } = "";

    public string? ManagerId { get; init; }

    public DateTime CreatedAt { get; init; }

    public SubscriptionView ToView() =>
        new(Id, SubscriberId, Signal, new SubscriptionScope(ManagerId), new DateTimeOffset(DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc)));
}
