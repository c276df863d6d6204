namespace PipelineCoach.Scoring.PipelineHealth;

internal sealed record ConcentrationHealth(string? TopDealId, string? TopDealName, decimal TopDealValueShare, int OpenDeals,
    int RecentlyWorkedDeals, bool OnlyTopDealWorked);
