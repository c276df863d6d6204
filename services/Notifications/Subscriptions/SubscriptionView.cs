namespace PipelineCoach.Notifications.Subscriptions;

/// <summary>A subscription as the API shows it; an org-wide one has <c>scope.managerId</c> null.</summary>
public sealed record SubscriptionView(Guid Id, string SubscriberId, string Signal, SubscriptionScope Scope, DateTimeOffset CreatedAt);
