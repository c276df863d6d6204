namespace PipelineCoach.Cadence.Occurrences;

/// <summary>
/// What a person does to an occurrence, pure: complete it (held) or skip it. A pending occurrence (scheduled or due)
/// takes the act; repeating the act is a no-op; anything else (retired, missed, or the other act) is a conflict.
/// </summary>
internal sealed record OccurrenceAct(string Name, string TargetStatus)
{
    public static readonly OccurrenceAct Complete = new("complete", OccurrenceStatuses.Held);
    public static readonly OccurrenceAct Skip = new("skip", OccurrenceStatuses.Skipped);

    public OccurrenceActDecision Decide(string status) =>
        status == TargetStatus ? OccurrenceActDecision.NoOp
        : status is OccurrenceStatuses.Scheduled or OccurrenceStatuses.Due ? OccurrenceActDecision.Apply
        : OccurrenceActDecision.Conflict;
}
