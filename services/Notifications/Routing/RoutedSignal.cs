using PipelineCoach.Notifications.Deliveries;

namespace PipelineCoach.Notifications.Routing;

/// <summary>A signal decided worth announcing, before it is resolved to people and channels.</summary>
internal sealed record RoutedSignal
{
    /// <summary><c>signal:subject:period</c>: routed once, whoever sees it first.</summary>
    public required string BusinessKey { get; init; }

    public required string Signal { get; init; }

    /// <summary>The subject of the key (an opportunity, a rep, a team, an occurrence).</summary>
    public required string SubjectId { get; init; }

    public string? OpportunityId { get; init; }

    /// <summary>The user whose team the signal concerns: subscriptions and chat destinations are scoped by their managers.</summary>
    public string? TeamMemberId { get; init; }

    public string? Cause { get; init; }

    /// <summary>Bulk work (initial load, reconcile, activation): digests only, never one by one.</summary>
    public bool IsBulk { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required Notice Notice { get; init; }

    /// <summary>Who gets it by rule, before subscriptions: each a user or one of their managers.</summary>
    public required IReadOnlyList<AudienceRule> Audience { get; init; }

    /// <summary>Amount × risk: where the item sits in a digest.</summary>
    public decimal Rank { get; init; }
}

/// <summary>
/// A person chosen by rule: <paramref name="UserId"/> itself (<paramref name="ManagerLevel"/> 0), their manager (1) or
/// their manager's manager (2), as the hierarchy stands when the signal is routed.
/// </summary>
internal sealed record AudienceRule(string UserId, int ManagerLevel, string Why);
