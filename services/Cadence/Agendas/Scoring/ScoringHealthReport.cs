namespace PipelineCoach.Cadence.Agendas.Scoring;

/// <summary>A rep's or team's pipeline health (the parts agendas use).</summary>
internal sealed record ScoringHealthReport(
    string SubjectKind,
    string SubjectId,
    string Period,
    ScoringCoverage Coverage,
    ScoringInflow Inflow,
    ScoringTargetAccounts TargetAccounts);
