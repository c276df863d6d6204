namespace PipelineCoach.Cadence.Cadences;

/// <summary>A stored cadence as the API returns it.</summary>
public sealed record CadenceView(
    Guid Id,
    string Name,
    string Kind,
    ScheduleSpec? Schedule,
    TriggerSpec? Trigger,
    TargetSpec? Target,
    int DurationMinutes,
    int CompletionWindowMinutes,
    MisfireSpec Misfire,
    DateOnly? StartsOn,
    DateOnly? EndsOn,
    IReadOnlyList<DateOnly> Exclusions,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
