namespace PipelineCoach.Scoring.Engine;

/// <summary>
/// An opportunity pre-parsed for one compiled scorecard: every fact the scorecard can read, typed and in a fixed
/// slot, so scoring never parses, looks up by name or allocates. Create with
/// <see cref="CompiledScorecard.CreateFacts()"/>, fill with <see cref="OpportunityFactsMapper"/>; reusable.
/// </summary>
public sealed class OpportunityFacts
{
    internal OpportunityFacts(FactLayout layout)
    {
        Layout = layout;
        Values = new FactValue[layout.SlotCount];
        ReachedStageOn = new int[layout.Stages.Length];
        Array.Fill(ReachedStageOn, NotReached);
    }

    internal const int NotReached = int.MaxValue;

    /// <summary>
    /// Per stage of the ladder, the day number on which the deal first reached that stage or a later one (stages can be
    /// skipped), or <see cref="NotReached"/>: how long each criterion has been expected.
    /// </summary>
    internal int[] ReachedStageOn { get; }

    internal FactLayout Layout { get; }

    internal FactValue[] Values { get; }

    public string OpportunityId { get; set; } = "";

    public string? OwnerId { get; set; }

    /// <summary>The opportunity version (<c>SystemModstamp</c>) these facts were read from.</summary>
    public DateTimeOffset SourceVersion { get; set; }

    /// <summary>The day the opportunity entered its current stage; drives the as-of dependent stage age.</summary>
    public DateOnly? CurrentStageEnteredOn { get; set; }

    /// <summary>Reads a fact by name (built-in or declared custom field), as loaded — not the as-of derived facts.</summary>
    public FactValue this[string factName]
    {
        get => Values[Layout.SlotOf(factName)];
        set => Values[Layout.SlotOf(factName)] = value;
    }

    public void Clear()
    {
        Array.Clear(Values);
        OpportunityId = "";
        OwnerId = null;
        SourceVersion = default;
        CurrentStageEnteredOn = null;
        Array.Fill(ReachedStageOn, NotReached);
    }

    /// <summary>Sets StageName with its position on the scorecard's stage ladder (closed opportunities sit past the last stage).</summary>
    public void SetStage(string? stageName, bool? isClosed)
    {
        var index = -1;
        if (stageName is not null && Layout.StageIndexByName.TryGetValue(stageName, out var ladderIndex))
        {
            index = ladderIndex;
        }
        else if (isClosed == true)
        {
            // A closed opportunity has passed every stage of the ladder, so every stage expectation applies.
            index = Layout.Stages.Length;
        }

        Values[FactSlots.StageName] = FactValue.FromStage(stageName, index);
        Values[FactSlots.StageNormalDays] = index >= 0 && index < Layout.StageNormalDays.Length && Layout.StageNormalDays[index] is { } days
            ? FactValue.FromNumber(days)
            : FactValue.Missing;
    }

    internal FactType TypeOfCustomField(int slot) => Layout.CustomFields[slot - FactSlots.BuiltInCount].Type;
}
