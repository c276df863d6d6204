namespace PipelineCoach.Scoring.Engine;

public enum CriterionStatus
{
    /// <summary>The rule holds; the criterion's weight is awarded.</summary>
    Met,

    /// <summary>The rule does not hold and the opportunity has reached the stage where it is expected.</summary>
    NotMet,

    /// <summary>The rule does not hold, but the opportunity is still before the stage where it is expected.</summary>
    NotYetExpected,
}

/// <summary>Why a criterion or flag came out as it did: the fact read, its value, and the rule applied to it.</summary>
public readonly record struct Evidence(string Field, FactValue Value, string Rule)
{
    public override string ToString() => $"{Field} = {Value} (rule: {Rule})";
}

public readonly record struct CriterionResult(CompiledCriterion Criterion, CriterionStatus Status, int Points, Evidence Evidence)
{
    public bool IsMet => Status == CriterionStatus.Met;
}

public readonly record struct FlagResult(CompiledFlag Flag, bool Raised, Evidence Evidence, FactValue[] ReasonValues)
{
    /// <summary>The flag's reason with its placeholders filled in, e.g. "close date pushed 3 times across 2 quarters".</summary>
    public string Reason => Flag.RenderReason(ReasonValues);
}

/// <summary>
/// The outcome of scoring one opportunity. A reusable buffer: <see cref="CompiledScorecard.Score"/> overwrites it
/// in place without allocating. Call <see cref="ToSnapshot"/> to keep an immutable copy.
/// </summary>
public sealed class ScoreResult
{
    private readonly CriterionResult[] criteria;
    private readonly FlagResult[] flags;

    internal ScoreResult(CompiledScorecard scorecard)
    {
        Scorecard = scorecard;
        criteria = new CriterionResult[scorecard.Criteria.Count];
        flags = new FlagResult[scorecard.Flags.Count];
        for (var i = 0; i < flags.Length; i++)
        {
            flags[i] = new FlagResult(scorecard.Flags[i], false, default, new FactValue[scorecard.Flags[i].PlaceholderSlots.Length]);
        }

        WorkingFacts = new FactValue[scorecard.Layout.SlotCount];
        Grade = "";
    }

    public CompiledScorecard Scorecard { get; }

    public string ScorecardId => Scorecard.Id;

    public int ScorecardVersion => Scorecard.Version;

    public string OpportunityId { get; internal set; } = "";

    public string? OwnerId { get; internal set; }

    /// <summary>The opportunity version (<c>SystemModstamp</c>) the score was computed from.</summary>
    public DateTimeOffset SourceVersion { get; internal set; }

    public DateOnly AsOf { get; internal set; }

    /// <summary>0–100: the weights of the met criteria.</summary>
    public int Score { get; internal set; }

    public string Grade { get; internal set; }

    /// <summary>The grade band's calibrated win probability, when the scorecard states one.</summary>
    public double? WinProbability { get; internal set; }

    public int RaisedFlagCount { get; internal set; }

    public ReadOnlySpan<CriterionResult> Criteria => criteria;

    public ReadOnlySpan<FlagResult> Flags => flags;

    internal CriterionResult[] CriteriaBuffer => criteria;

    internal FlagResult[] FlagBuffer => flags;

    /// <summary>Facts plus the as-of derived values of the last evaluation.</summary>
    internal FactValue[] WorkingFacts { get; }

    public CriterionResult Criterion(string id)
    {
        foreach (var result in criteria)
        {
            if (result.Criterion.Id == id)
            {
                return result;
            }
        }

        throw new KeyNotFoundException($"Scorecard '{ScorecardId}' has no criterion '{id}'.");
    }

    public FlagResult Flag(string id)
    {
        foreach (var result in flags)
        {
            if (result.Flag.Id == id)
            {
                return result;
            }
        }

        throw new KeyNotFoundException($"Scorecard '{ScorecardId}' has no flag '{id}'.");
    }

    /// <summary>The raised flag codes, in scorecard order.</summary>
    public IReadOnlyList<string> RaisedFlagIds() => [.. flags.Where(flag => flag.Raised).Select(flag => flag.Flag.Id)];

    public ScoreSnapshot ToSnapshot() => ScoreSnapshot.From(this);
}
