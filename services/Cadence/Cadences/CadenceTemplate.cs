namespace PipelineCoach.Cadence.Cadences;

/// <summary>One of the six leadership routines, with the defaults a cadence of its kind takes.</summary>
public sealed record CadenceTemplate(
    string Kind,
    string Name,
    ScheduleSpec? Schedule,
    TriggerSpec? Trigger,
    int DurationMinutes,
    MisfireSpec Misfire,
    string Description);
