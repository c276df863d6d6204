namespace PipelineCoach.SalesforceSimulator.Generation;

/// <summary>One stage of the standard Opportunity stage picklist with its defaults.</summary>
public sealed record Stage(
    byte Code,
    string Name,
    int Probability,
    string ForecastCategory,
    string ForecastCategoryName,
    bool IsClosed,
    bool IsWon,
    int NormDays);

/// <summary>
/// The standard sales process of a new org (Prospecting … Closed Won/Lost). <see cref="Stage.NormDays"/> is
/// the "normal" time in stage (the same as the suite's default scorecard), used to plant stalled deals.
/// </summary>
public static class StageLadder
{
    public static readonly IReadOnlyList<Stage> All =
    [
        new(0, "Prospecting", 10, "Pipeline", "Pipeline", false, false, 14),
        new(1, "Qualification", 10, "Pipeline", "Pipeline", false, false, 14),
        new(2, "Needs Analysis", 20, "Pipeline", "Pipeline", false, false, 21),
        new(3, "Value Proposition", 50, "Pipeline", "Pipeline", false, false, 21),
        new(4, "Id. Decision Makers", 60, "Pipeline", "Pipeline", false, false, 21),
        new(5, "Perception Analysis", 70, "Pipeline", "Pipeline", false, false, 14),
        new(6, "Proposal/Price Quote", 75, "BestCase", "Best Case", false, false, 21),
        new(7, "Negotiation/Review", 90, "Forecast", "Commit", false, false, 21),
        new(8, "Closed Won", 100, "Closed", "Closed", true, true, 0),
        new(9, "Closed Lost", 0, "Omitted", "Omitted", true, false, 0),
    ];

    public static Stage Prospecting => All[0];

    public static Stage Proposal => All[6];

    public static Stage Negotiation => All[7];

    public static Stage ClosedWon => All[8];

    public static Stage ClosedLost => All[9];

    public const int OpenStageCount = 8;

    public static Stage? Find(string? name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Calendar quarters are the fiscal periods of the simulated org.</summary>
public static class FiscalCalendar
{
    public static int Quarter(DateOnly date) => ((date.Month - 1) / 3) + 1;

    public static DateOnly QuarterStart(DateOnly date) => new(date.Year, ((Quarter(date) - 1) * 3) + 1, 1);

    public static DateOnly QuarterEnd(DateOnly date) => QuarterStart(date).AddMonths(3).AddDays(-1);

    /// <summary>Quarter ordinal, so differences count quarter boundaries crossed.</summary>
    public static int QuarterIndex(DateOnly date) => (date.Year * 4) + Quarter(date) - 1;

    public static string Label(DateOnly date) => $"{date.Year}-Q{Quarter(date)}";
}
