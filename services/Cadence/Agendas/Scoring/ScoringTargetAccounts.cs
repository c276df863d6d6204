namespace PipelineCoach.Cadence.Agendas.Scoring;

/// <summary>The rep's Magnificent 50: how many listed target accounts have an open qualified or recently worked deal.</summary>
internal sealed record ScoringTargetAccounts(int Listed, int Covered, decimal? Share, IReadOnlyList<string> Uncovered);
