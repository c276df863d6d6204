namespace PipelineCoach.Cadence.Agendas;

/// <summary>The stable section codes of agendas (what tools and the docs refer to).</summary>
internal static class AgendaSections
{
    public const string NewRisks = "new-risks";
    public const string NextStepsDue = "next-steps-due";
    public const string EarlyStage = "early-stage";
    public const string Slipped = "slipped";
    public const string Stalled = "stalled";
    public const string PrematurePresentations = "premature-presentations";
    public const string Coverage = "coverage";
    public const string Inflow = "inflow";
    public const string Deal = "deal";
    public const string MissingCriteria = "missing-criteria";
    public const string OpenFlags = "open-flags";
    public const string DealTerms = "deal-terms";
    public const string Concessions = "concessions";
    public const string TargetAccounts = "target-accounts";
    public const string ScoresUnavailable = "scores-unavailable";
}
