namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>
/// A rep's deals, quota for the period and Magnificent 50; the next quarter's quota, the rep's closed deals over the
/// look-back (for walk-away discipline) and target account names (for reasons in words).
/// </summary>
internal sealed record RepInputs(
    string OwnerId,
    IReadOnlyList<PipelineDeal> Deals,
    decimal? Quota,
    IReadOnlyList<string> TargetAccounts,
    decimal? NextQuota = null,
    IReadOnlyList<ClosedDeal>? Closed = null,
    IReadOnlyDictionary<string, string?>? TargetAccountNames = null);
