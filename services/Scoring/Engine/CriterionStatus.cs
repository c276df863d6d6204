namespace PipelineCoach.Scoring.Engine;

public enum CriterionStatus
{
    /// <summary>The rule holds; the criterion's weight is awarded.</summary>
    Met,

    /// <summary>The rule does not hold and the opportunity has reached the stage where it is expected.</summary>
    NotMet,

    /// <summary>The rule does not hold, but the opportunity is still before the stage where it is expected.</summary>
    NotYetExpected,
}
