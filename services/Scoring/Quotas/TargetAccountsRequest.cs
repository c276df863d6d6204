namespace PipelineCoach.Scoring.Quotas;

/// <summary>A rep's "Magnificent 50": the whole list, replaced at once.</summary>
internal sealed record TargetAccountsRequest(IReadOnlyList<TargetAccount>? Accounts);
