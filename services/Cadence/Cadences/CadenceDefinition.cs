namespace PipelineCoach.Cadence.Cadences;

/// <summary>
/// A cadence as the API takes it and, once the template's defaults are applied, as it is stored and returned. A
/// recurring cadence has a <see cref="Schedule"/>; an event-driven one a <see cref="Trigger"/>.
/// </summary>
public sealed record CadenceDefinition
{
    public string? Name { get; init; }

    /// <summary>A template's kind (<see cref="CadenceKinds"/>) or <c>custom</c>.</summary>
    public string? Kind { get; init; }

    public ScheduleSpec? Schedule { get; init; }

    public TriggerSpec? Trigger { get; init; }

    public TargetSpec? Target { get; init; }

    public int? DurationMinutes { get; init; }

    /// <summary>How long after its start an occurrence may be held or skipped; default the duration plus 24 h.</summary>
    public int? CompletionWindowMinutes { get; init; }

    public MisfireSpec? Misfire { get; init; }

    public DateOnly? StartsOn { get; init; }

    public DateOnly? EndsOn { get; init; }

    /// <summary>Local dates with no occurrence.</summary>
    public IReadOnlyList<DateOnly>? Exclusions { get; init; }

    public bool IsRecurring => Schedule is not null;
}

/// <summary>A 5-field cron expression in an IANA time zone, or in the assignee's (<see cref="AssigneeTimeZone"/>).</summary>
public sealed record ScheduleSpec(string? Cron, string? TimeZone)
{
    public const string AssigneeTimeZone = "assignee";
}

/// <summary>What creates an event-driven occurrence: an opportunity created, or entering one of <see cref="Stages"/>.</summary>
public sealed record TriggerSpec(string? On, IReadOnlyList<string>? Stages, decimal? MinAmount, int? DueWithinBusinessDays)
{
    public const string OpportunityCreated = "opportunity-created";
    public const string StageEntered = "stage-entered";
}

/// <summary>A team (<see cref="ManagerId"/> and their direct reports, resolved at fire time) or one user.</summary>
public sealed record TargetSpec(string? Type, string? ManagerId = null, string? UserId = null)
{
    public const string Team = "team";
    public const string User = "user";

    /// <summary>The user who holds the occurrences: the manager of a team, or the user.</summary>
    public string? AssigneeId => Type == Team ? ManagerId : UserId;
}

/// <summary>What happens to slots the service sees later than <see cref="GraceMinutes"/> after their start.</summary>
public sealed record MisfireSpec(string? Policy, int? GraceMinutes)
{
    /// <summary>Late slots are recorded skipped (misfire) and not published.</summary>
    public const string Skip = "skip";

    /// <summary>The most recent late slot fires once; earlier ones are recorded skipped (misfire).</summary>
    public const string FireOnce = "fire-once";
}

/// <summary>The cadence kinds: the six templates and <c>custom</c>.</summary>
public static class CadenceKinds
{
    public const string DailyHuddle = "daily-huddle";
    public const string WeeklyPipelineReview = "weekly-pipeline-review";
    public const string OpportunityStrategyReview = "opportunity-strategy-review";
    public const string PrePresentationReview = "pre-presentation-review";
    public const string NegotiationPreparation = "negotiation-preparation";
    public const string TargetAccountPlanning = "target-account-planning";
    public const string Custom = "custom";
}
