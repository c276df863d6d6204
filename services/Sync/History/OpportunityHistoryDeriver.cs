using PipelineCoach.Contracts.Sync;

namespace PipelineCoach.Sync.History;

/// <summary>One <c>OpportunityHistory</c> row: a snapshot taken whenever Amount, Probability, StageName or CloseDate changed.</summary>
public sealed record HistoryRow(string Id, string OpportunityId, string? StageName, DateOnly? CloseDate, DateOnly? PrevCloseDate, decimal? Amount, DateTimeOffset CreatedDate);

/// <summary>One <c>OpportunityFieldHistory</c> row of a followed date field: its value before and after one change.</summary>
public sealed record FieldHistoryRow(string Id, string OpportunityId, string Field, DateOnly? OldDate, DateOnly? NewDate, DateTimeOffset CreatedDate);

/// <summary>
/// Derives the slip and stage signals from history rows so that consumers need no history queries. Pure.
/// </summary>
public static class OpportunityHistoryDeriver
{
    /// <summary>The standard sales process, in order; unknown stages do not count as progress or regression.</summary>
    public static readonly IReadOnlyList<string> StandardStages =
    [
        "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
        "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost",
    ];

    /// <param name="rows">The opportunity's <c>OpportunityHistory</c> rows.</param>
    /// <param name="fieldRows">Its <c>OpportunityFieldHistory</c> rows of followed date fields.</param>
    /// <param name="followedDateFields">The date fields Sync follows: each reads 0 moves when it has no rows.</param>
    /// <param name="stageOrder">The stage ladder; the standard sales process when null.</param>
    public static OpportunityHistorySummary Derive(IEnumerable<HistoryRow> rows, IEnumerable<FieldHistoryRow>? fieldRows = null,
        IReadOnlyCollection<string>? followedDateFields = null, IReadOnlyList<string>? stageOrder = null)
    {
        stageOrder ??= StandardStages;
        var ordered = rows.OrderBy(r => r.CreatedDate).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
        int pushes = 0, daysPushed = 0, quartersCrossed = 0, regressions = 0;
        DateOnly? previousClose = null;
        string? previousStage = null;
        DateTimeOffset? currentStageEnteredAt = null;
        var enteredAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);

        foreach (var row in ordered)
        {
            // PrevCloseDate (API v50+) is authoritative when present; older rows only let us compare consecutive rows.
            var before = row.PrevCloseDate ?? previousClose;
            if (before is { } from && row.CloseDate is { } to && to > from)
            {
                pushes++;
                daysPushed += to.DayNumber - from.DayNumber;
                quartersCrossed += QuarterIndex(to) - QuarterIndex(from);
            }

            if (row.CloseDate is not null)
            {
                previousClose = row.CloseDate;
            }

            if (row.StageName is { } stage && stage != previousStage)
            {
                enteredAt.TryAdd(stage, row.CreatedDate);
                currentStageEnteredAt = row.CreatedDate;
                if (previousStage is not null && Rank(stageOrder, stage) is { } now && Rank(stageOrder, previousStage) is { } was && now < was && !IsClosed(stage))
                {
                    regressions++;
                }

                previousStage = stage;
            }
        }

        return new OpportunityHistorySummary
        {
            CloseDatePushCount = pushes,
            TotalDaysPushed = daysPushed,
            QuarterBoundariesCrossed = quartersCrossed,
            OriginalCloseDate = ordered.FirstOrDefault(r => r.PrevCloseDate is not null)?.PrevCloseDate ?? ordered.FirstOrDefault(r => r.CloseDate is not null)?.CloseDate,
            CurrentStageEnteredAt = currentStageEnteredAt,
            StageEnteredAt = enteredAt,
            StageRegressionCount = regressions,
            DateFieldPushCounts = DatePushes(fieldRows ?? [], followedDateFields ?? []),
        };
    }

    /// <summary>Moves later per followed field; a cleared or first-set date is not a push.</summary>
    private static Dictionary<string, int> DatePushes(IEnumerable<FieldHistoryRow> fieldRows, IReadOnlyCollection<string> followed)
    {
        var pushes = followed.ToDictionary(field => field, _ => 0, StringComparer.OrdinalIgnoreCase);
        foreach (var row in fieldRows)
        {
            if (pushes.TryGetValue(row.Field, out var count) && row.OldDate is { } from && row.NewDate is { } to && to > from)
            {
                pushes[row.Field] = count + 1;
            }
        }

        return pushes;
    }

    /// <summary>Calendar quarters since year 0, so the difference counts boundaries crossed.</summary>
    public static int QuarterIndex(DateOnly date) => (date.Year * 4) + ((date.Month - 1) / 3);

    private static int? Rank(IReadOnlyList<string> order, string stage)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (string.Equals(order[i], stage, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return null;
    }

    private static bool IsClosed(string stage) => stage.StartsWith("Closed", StringComparison.Ordinal);
}
