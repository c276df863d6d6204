namespace PipelineCoach.Scoring.Engine;

/// <summary>
/// The outcome of scoring one opportunity. A reusable buffer: <see cref="CompiledScorecard.Score"/> overwrites it
/// in place without allocating, recording only statuses and which condition decided each one; evidence and
/// reasons are read from it on demand. Call <see cref="ToSnapshot"/> to keep an immutable copy.
/// </summary>
public sealed class ScoreResult
{
    /// <summary>Marks a flag that was not evaluated because the opportunity is closed.</summary>
    internal const int ClosedNode = -1;

    internal const string ClosedRule = "flags apply to open opportunities only";

    internal ScoreResult(CompiledScorecard scorecard)
    {
        Scorecard = scorecard;
        CriterionSlots = new OutcomeSlot[scorecard.Criteria.Count];
        FlagSlots = new OutcomeSlot[scorecard.Flags.Count];
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

    /// <summary>How many criteria the deal's stage expects that are not met.</summary>
    public int OverdueCount { get; internal set; }

    /// <summary><c>on-track</c> when every criterion the stage expects is met, else <c>behind</c>.</summary>
    public string Readiness => Engine.Readiness.Of(OverdueCount);

    public int CriterionCount => CriterionSlots.Length;

    public int FlagCount => FlagSlots.Length;

    /// <summary>Every criterion's result in scorecard order (builds a new array; use <see cref="CriterionAt"/> in loops).</summary>
    public IReadOnlyList<CriterionResult> Criteria => [.. Enumerable.Range(0, CriterionCount).Select(CriterionAt)];

    /// <summary>Every flag's result in scorecard order (builds a new array; use <see cref="FlagAt"/> in loops).</summary>
    public IReadOnlyList<FlagResult> Flags => [.. Enumerable.Range(0, FlagCount).Select(FlagAt)];

    internal OutcomeSlot[] CriterionSlots { get; }

    internal OutcomeSlot[] FlagSlots { get; }

    /// <summary>Facts plus the as-of derived values of the last evaluation; evidence and reasons read from here.</summary>
    internal FactValue[] WorkingFacts { get; }

    public CriterionResult CriterionAt(int index)
    {
        var criterion = Scorecard.Criteria[index];
        var slot = CriterionSlots[index];
        var points = slot.Status == CriterionStatus.Met ? criterion.Weight : 0;
        return new CriterionResult(criterion, slot.Status, points, Scorecard.EvidenceOf(slot.DecisiveNode, WorkingFacts))
        {
            Label = Scorecard.LabelOf(slot.DecisiveNode),
        };
    }

    public FlagResult FlagAt(int index)
    {
        var slot = FlagSlots[index];
        var evidence = slot.DecisiveNode == ClosedNode
            ? new Evidence("IsClosed", WorkingFacts[FactSlots.IsClosed], ClosedRule)
            : Scorecard.EvidenceOf(slot.DecisiveNode, WorkingFacts);
        return new FlagResult(Scorecard.Flags[index], slot.Raised, evidence) { Facts = WorkingFacts, Label = Scorecard.LabelOf(slot.DecisiveNode), NotChecked = slot.DecisiveNode == ClosedNode };
    }

    public CriterionResult Criterion(string id)
    {
        for (var i = 0; i < CriterionCount; i++)
        {
            if (Scorecard.Criteria[i].Id == id)
            {
                return CriterionAt(i);
            }
        }

        throw new KeyNotFoundException($"Scorecard '{ScorecardId}' has no criterion '{id}'.");
    }

    public FlagResult Flag(string id)
    {
        for (var i = 0; i < FlagCount; i++)
        {
            if (Scorecard.Flags[i].Id == id)
            {
                return FlagAt(i);
            }
        }

        throw new KeyNotFoundException($"Scorecard '{ScorecardId}' has no flag '{id}'.");
    }

    /// <summary>The raised flag codes, in scorecard order.</summary>
    public IReadOnlyList<string> RaisedFlagIds() =>
        [.. Enumerable.Range(0, FlagCount).Where(i => FlagSlots[i].Raised).Select(i => Scorecard.Flags[i].Id)];

    public ScoreSnapshot ToSnapshot() => ScoreSnapshot.From(this);
}
