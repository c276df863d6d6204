namespace PipelineCoach.Scoring.Engine;

/// <summary>What the hot loop records per criterion or flag: plain values only, so storing them needs no GC write barrier.</summary>
internal readonly record struct OutcomeSlot(CriterionStatus Status, bool Raised, int DecisiveNode);
