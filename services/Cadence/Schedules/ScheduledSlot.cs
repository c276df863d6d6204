namespace PipelineCoach.Cadence.Schedules;

/// <summary>One slot of a recurring cadence: when it fires (UTC), the wall-clock time it fires at, and any DST mark.</summary>
public readonly record struct ScheduledSlot(DateTimeOffset UtcStart, DateTime LocalStart, string TimeZone, DstMark? Dst);
