namespace PipelineCoach.Notifications.Subscriptions;

/// <summary>What a subscription covers: a manager's team, or the whole org when <see cref="ManagerId"/> is null.</summary>
public sealed record SubscriptionScope(string? ManagerId);
