using PipelineCoach.Contracts.Sync;

namespace PipelineCoach.Scoring.Engine;

/// <summary>
/// A validated scorecard compiled into an evaluation plan: conditions flattened into an array with their operands
/// parsed, facts resolved to slots, grade bands turned into a 0–100 lookup table, evidence strings built once.
/// Immutable and thread-safe; share one instance per scorecard version. Build with <see cref="ScorecardCompiler"/>.
/// </summary>
public sealed class CompiledScorecard
{
    private readonly ConditionNode[] nodes;
    private readonly CompiledCriterion[] criteria;
    private readonly CompiledFlag[] flags;
    private readonly GradeBand[] gradeByScore;

    internal CompiledScorecard(Scorecard definition, FactLayout layout, ConditionNode[] nodes,
        CompiledCriterion[] criteria, CompiledFlag[] flags, GradeBand[] gradeByScore)
    {
        Definition = definition;
        Layout = layout;
        this.nodes = nodes;
        this.criteria = criteria;
        this.flags = flags;
        this.gradeByScore = gradeByScore;
    }

    /// <summary>The scorecard this plan was compiled from.</summary>
    public Scorecard Definition { get; }

    public string Id => Definition.Id;

    public int Version => Definition.Version;

    public string Name => Definition.Name;

    public IReadOnlyList<CompiledCriterion> Criteria => criteria;

    public IReadOnlyList<CompiledFlag> Flags => flags;

    internal FactLayout Layout { get; }

    internal int NodeCount => nodes.Length;

    /// <summary>An empty, reusable facts buffer laid out for this scorecard.</summary>
    public OpportunityFacts CreateFacts() => new(Layout);

    /// <summary>Facts for <paramref name="message"/>, laid out for this scorecard.</summary>
    public OpportunityFacts CreateFacts(OpportunityChanged message)
    {
        var facts = CreateFacts();
        facts.Load(message);
        return facts;
    }

    /// <summary>An empty, reusable result buffer sized for this scorecard.</summary>
    public ScoreResult CreateResult() => new(this);

    /// <summary>Scores a message in one call (allocates facts and a result); for hot loops reuse buffers with <see cref="Score"/>.</summary>
    public ScoreSnapshot Evaluate(OpportunityChanged message, DateOnly asOf)
    {
        var result = CreateResult();
        Score(CreateFacts(message), asOf, result);
        return result.ToSnapshot();
    }

    /// <summary>
    /// Scores <paramref name="facts"/> as of <paramref name="asOf"/> into <paramref name="result"/>, overwriting it.
    /// Allocates nothing.
    /// </summary>
    public void Score(OpportunityFacts facts, DateOnly asOf, ScoreResult result)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(result);
        if (!ReferenceEquals(facts.Layout, Layout) || !ReferenceEquals(result.Scorecard, this))
        {
            throw new ArgumentException($"Facts and result must be created by scorecard '{Id}' v{Version}.");
        }

        var working = result.WorkingFacts;
        facts.Values.AsSpan().CopyTo(working);
        var asOfDay = asOf.DayNumber;
        DeriveAsOfFacts(facts, working, asOfDay);

        var stageIndex = working[FactSlots.StageName].IsPresent ? (int)working[FactSlots.StageName].Number : -1;
        var createdDay = working[FactSlots.CreatedDate] is { Kind: FactKind.Date } created ? (int)created.Number : OpportunityFacts.NotReached;
        var metWeight = 0;
        var countedWeight = 0;
        var overdue = 0;
        var longOverdue = 0;
        var criterionSlots = result.CriterionSlots;
        for (var i = 0; i < criteria.Length; i++)
        {
            var criterion = criteria[i];
            var met = ConditionEvaluator.Evaluate(nodes, criterion.RootNode, working, asOfDay, out var leaf);
            var expected = criterion.ExpectedFromStageIndex < 0 || (stageIndex >= 0 && stageIndex >= criterion.ExpectedFromStageIndex);
            CriterionStatus status;
            if (met)
            {
                status = CriterionStatus.Met;
                metWeight += criterion.Weight;
                countedWeight += criterion.Weight;
            }
            else if (expected)
            {
                status = CriterionStatus.NotMet;
                countedWeight += criterion.Weight;
                overdue++;
                var expectedSince = criterion.ExpectedFromStageIndex < 0 ? createdDay : facts.ReachedStageOn[criterion.ExpectedFromStageIndex];
                if (expectedSince != OpportunityFacts.NotReached && asOfDay - expectedSince >= LongOverdueDays)
                {
                    longOverdue++;
                }
            }
            else
            {
                status = CriterionStatus.NotYetExpected;
            }

            criterionSlots[i] = new OutcomeSlot(status, false, leaf);
        }

        var score = StageRelativeScore(metWeight, countedWeight);
        working[FactSlots.Score] = FactValue.FromNumber(score);
        working[FactSlots.CriteriaOverdue] = FactValue.FromNumber(overdue);
        working[FactSlots.LongOverdue] = FactValue.FromNumber(longOverdue);

        // Flags describe risk to a deal still in play; a closed deal raises none.
        var isClosed = working[FactSlots.IsClosed] is { IsPresent: true, Boolean: true };
        var raisedCount = 0;
        var flagSlots = result.FlagSlots;
        for (var i = 0; i < flags.Length; i++)
        {
            if (isClosed)
            {
                flagSlots[i] = new OutcomeSlot(default, false, ScoreResult.ClosedNode);
                continue;
            }

            var raised = ConditionEvaluator.Evaluate(nodes, flags[i].RootNode, working, asOfDay, out var leaf);
            raisedCount += raised ? 1 : 0;
            flagSlots[i] = new OutcomeSlot(default, raised, leaf);
        }

        var band = gradeByScore[score];
        result.OpportunityId = facts.OpportunityId;
        result.OwnerId = facts.OwnerId;
        result.SourceVersion = facts.SourceVersion;
        result.AsOf = asOf;
        result.Score = score;
        result.Grade = band.Grade;
        result.WinProbability = band.WinProbability;
        result.RaisedFlagCount = raisedCount;
        result.OverdueCount = overdue;
    }

    /// <summary>Days an expected criterion may stay unmet before it counts towards <c>Criteria.LongOverdue</c>.</summary>
    public const int LongOverdueDays = 30;

    /// <summary>The score a deal gets when its stage expects nothing yet and nothing is in place: the middle of the scale.</summary>
    public const int NothingExpectedScore = 50;

    /// <summary>
    /// The score against what the deal's stage expects: the weight met out of the weight expected now plus any met
    /// early, so criteria not yet due never cost points and work done early still counts. A closed deal expects
    /// everything, which makes this the plain sum of the met weights.
    /// </summary>
    public static int StageRelativeScore(int metWeight, int countedWeight) =>
        countedWeight == 0 ? NothingExpectedScore : ((200 * metWeight) + countedWeight) / (2 * countedWeight);

    /// <summary>The grade band a score falls in.</summary>
    public GradeBand GradeFor(int score) => gradeByScore[Math.Clamp(score, 0, 100)];

    /// <summary>The field and rule text of a deciding condition (or of the closed-opportunity rule), for stored breakdowns.</summary>
    internal (string Field, string Rule) Describe(int node) =>
        node == ScoreResult.ClosedNode ? ("IsClosed", ScoreResult.ClosedRule)
        : node >= 0 && node < nodes.Length ? (nodes[node].Field, nodes[node].Rule)
        : ("", "");

    /// <summary>The plain label of the fact a deciding condition read ("economic buyer"), for reasons.</summary>
    internal string LabelOf(int node) =>
        node >= 0 && node < nodes.Length ? nodes[node].Label
        : "";

    internal Evidence EvidenceOf(int leaf, FactValue[] working)
    {
        ref readonly var node = ref nodes[leaf];
        return new Evidence(node.Field, node.Kind == NodeKind.Leaf ? working[node.Slot] : default, node.Rule);
    }

    private static void DeriveAsOfFacts(OpportunityFacts facts, FactValue[] working, int asOfDay)
    {
        if (facts.CurrentStageEnteredOn is { } entered)
        {
            var daysInStage = asOfDay - entered.DayNumber;
            working[FactSlots.DaysInCurrentStage] = FactValue.FromNumber(daysInStage);
            ref readonly var normal = ref working[FactSlots.StageNormalDays];
            working[FactSlots.StageAgeRatio] = normal.IsPresent && normal.Number > 0
                ? FactValue.FromNumber(daysInStage / normal.Number)
                : FactValue.Missing;
        }
        else
        {
            working[FactSlots.DaysInCurrentStage] = FactValue.Missing;
            working[FactSlots.StageAgeRatio] = FactValue.Missing;
        }

        working[FactSlots.DaysSinceLastActivity] = DaysBetween(working[FactSlots.LastActivityDate], asOfDay, sinceDate: true);
        working[FactSlots.DaysUntilClose] = DaysBetween(working[FactSlots.CloseDate], asOfDay, sinceDate: false);
        working[FactSlots.AgeDays] = DaysBetween(working[FactSlots.CreatedDate], asOfDay, sinceDate: true);
        ref readonly var cycle = ref working[FactSlots.NormalCycleDays];
        working[FactSlots.AgeCycleRatio] = working[FactSlots.AgeDays].IsPresent && cycle.IsPresent && cycle.Number > 0
            ? FactValue.FromNumber(working[FactSlots.AgeDays].Number / cycle.Number)
            : FactValue.Missing;
    }

    private static FactValue DaysBetween(in FactValue date, int asOfDay, bool sinceDate) =>
        date.Kind != FactKind.Date ? FactValue.Missing
        : FactValue.FromNumber(sinceDate ? asOfDay - date.Number : date.Number - asOfDay);
}
