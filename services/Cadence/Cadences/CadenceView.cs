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
    DateTimeOffset UpdatedAt)
{
    /// <summary>The view of a resolved definition (template defaults applied).</summary>
    public static CadenceView From(Guid id, CadenceDefinition definition, DateTimeOffset createdAt, DateTimeOffset updatedAt) => new(
        id,
        definition.Name!,
        definition.Kind!,
        definition.Schedule,
        definition.Trigger,
        definition.Target,
        definition.DurationMinutes!.Value,
        definition.CompletionWindowMinutes!.Value,
        definition.Misfire!,
        definition.StartsOn,
        definition.EndsOn,
        definition.Exclusions ?? [],
        createdAt,
        updatedAt);
}
