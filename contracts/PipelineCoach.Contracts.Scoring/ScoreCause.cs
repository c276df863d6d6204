namespace PipelineCoach.Contracts.Scoring;

/// <summary>
/// The values of <see cref="OpportunityScored.Cause"/>: what made Scoring compute the score it published.
/// </summary>
public static class ScoreCause
{
    /// <summary>A live change of the opportunity (<c>OpportunityChanged.Source</c> <c>webhook</c> or <c>outbound-message</c>).</summary>
    public const string Change = "change";

    /// <summary>The opportunity arrived with CRM sync's initial load (<c>OpportunityChanged.Source</c> <c>initial-load</c>). Bulk.</summary>
    public const string InitialLoad = "initial-load";

    /// <summary>Reconciliation caught up a change that was missed (<c>OpportunityChanged.Source</c> <c>reconcile</c>). Bulk.</summary>
    public const string Reconcile = "reconcile";

    /// <summary>A scorecard version was activated and every open opportunity was rescored with it. Bulk.</summary>
    public const string Activation = "activation";

    /// <summary>The daily as-of refresh: the deal aged into (or out of) a flag with no change of its own.</summary>
    public const string Daily = "daily";

    /// <summary>A manager set or cleared an override (<see cref="OpportunityScored.IsOverride"/> says which).</summary>
    public const string Override = "override";

    /// <summary>
    /// True for the causes that touch many deals at once (initial load, reconcile catch-up, scorecard activation):
    /// announce them in digests, never one by one.
    /// </summary>
    public static bool IsBulk(string? cause) => cause is InitialLoad or Reconcile or Activation;
}
