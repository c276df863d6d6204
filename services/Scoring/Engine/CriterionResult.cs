namespace PipelineCoach.Scoring.Engine;

public readonly record struct CriterionResult(CompiledCriterion Criterion, CriterionStatus Status, int Points, Evidence Evidence)
{
    public bool IsMet => Status == CriterionStatus.Met;

    /// <summary>The plain label of the fact that decided the outcome.</summary>
    public string Label { get; init; } = "";

    /// <summary>In plain words: in place, the coaching prompt, or not expected yet.</summary>
    public string Reason => Explanations.Criterion(Criterion, Status, Label, Evidence.Value.ToString());
}
