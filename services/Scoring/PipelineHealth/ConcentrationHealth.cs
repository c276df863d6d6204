namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>
/// How much of the open pipeline sits on the biggest deal (by value), and how much of the rep's recent work on one
/// deal: <see cref="FocusDealId"/> is the open deal with the most activity days in the last
/// <see cref="ActivityWindowDays"/>, holding <see cref="FocusActivityShare"/> of the <see cref="ActivityDays"/>.
/// </summary>
internal sealed record ConcentrationHealth(string? TopDealId, string? TopDealName, decimal TopDealValueShare, int OpenDeals,
    int RecentlyWorkedDeals, bool OnlyTopDealWorked,
    string? FocusDealId = null, string? FocusDealName = null, int FocusActivityDays = 0, int ActivityDays = 0, decimal? FocusActivityShare = null,
    int ActivityWindowDays = 30);
