namespace PipelineCoach.Cadence.Occurrences;

/// <summary>Whether an act applies to an occurrence in its current status (<see cref="OccurrenceAct.Decide"/>).</summary>
internal enum OccurrenceActDecision
{
    Apply,
    NoOp,
    Conflict,
}
