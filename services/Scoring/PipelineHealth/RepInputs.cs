namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>A rep's deals, quota for the period and Magnificent 50.</summary>
internal sealed record RepInputs(string OwnerId, IReadOnlyList<PipelineDeal> Deals, decimal? Quota, IReadOnlyList<string> TargetAccounts);
