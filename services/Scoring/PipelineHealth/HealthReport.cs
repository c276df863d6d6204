namespace PipelineCoach.Scoring.PipelineHealth;

internal sealed record HealthReport(
    string SubjectKind,
    string SubjectId,
    string Period,
    DateOnly AsOf,
    CoverageHealth Coverage,
    InflowHealth Inflow,
    ConcentrationHealth? Concentration,
    TargetAccountHealth TargetAccounts,
    EarlyStageHealth EarlyStage,
    IReadOnlyList<HealthCondition> Conditions,
    string? NextPeriod = null,
    CoverageHealth? NextQuarterCoverage = null,
    WalkAwayHealth? WalkAway = null);
