namespace PipelineCoach.Notifications.Subscriptions;

/// <summary>The body of <c>POST /api/v1/subscriptions</c>; no <c>scope</c> (or no <c>scope.managerId</c>) is the whole org.</summary>
public sealed record SubscriptionRequest(string? SubscriberId, string? Signal, SubscriptionScope? Scope);
