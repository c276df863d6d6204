namespace PipelineCoach.Scoring.Engine;

public readonly record struct CriterionResult(CompiledCriterion Criterion, CriterionStatus Status, int Points, Evidence Evidence)
{
    public bool IsMet => Status == CriterionStatus.Met;
}
