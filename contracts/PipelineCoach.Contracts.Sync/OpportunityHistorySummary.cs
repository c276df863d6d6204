namespace PipelineCoach.Contracts.Sync;

/// <summary>Signals derived from an opportunity's history rows.</summary>
public sealed record OpportunityHistorySummary
{
    /// <summary>How many times the close date was moved later.</summary>
    public int CloseDatePushCount { get; init; }

    /// <summary>Total days the close date was pushed out, summed over every push.</summary>
    public int TotalDaysPushed { get; init; }

    /// <summary>How many calendar-quarter boundaries the pushes crossed in total.</summary>
    public int QuarterBoundariesCrossed { get; init; }

    /// <summary>The close date when the opportunity was first recorded.</summary>
    public DateOnly? OriginalCloseDate { get; init; }

    /// <summary>When the opportunity entered its current stage.</summary>
    public DateTimeOffset? CurrentStageEnteredAt { get; init; }

    /// <summary>When the opportunity first entered each stage, keyed by stage name.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> StageEnteredAt { get; init; } = new Dictionary<string, DateTimeOffset>();

    /// <summary>How many times the stage moved backwards on the stage ladder.</summary>
    public int StageRegressionCount { get; init; }

    /// <summary>
    /// How many times each followed, history-tracked date field (keyed by API name, e.g. <c>Compelling_Event_Date__c</c>)
    /// was moved later, read from <c>OpportunityFieldHistory</c>. A followed field with no later moves reads 0; a field
    /// Sync does not follow is absent.
    /// </summary>
    public IReadOnlyDictionary<string, int> DateFieldPushCounts { get; init; } = new Dictionary<string, int>();
}
