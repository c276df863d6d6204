using System.Globalization;
using System.Text.Json;
using FluentValidation;

namespace PipelineCoach.Scoring.Engine;

/// <summary>Turns a scorecard into a <see cref="CompiledScorecard"/>, once per scorecard version.</summary>
public static class ScorecardCompiler
{
    private static readonly ScorecardValidator Validator = new();

    /// <summary>Validates and compiles. Throws <see cref="ValidationException"/> listing every error.</summary>
    public static CompiledScorecard Compile(Scorecard scorecard) => Compile(scorecard, normalDaysByStage: null);

    /// <summary>
    /// Validates and compiles with <paramref name="normalDaysByStage"/> (stage name → days, each &gt; 0; e.g. the org's
    /// own medians) in place of the <c>normalDays</c> of the stages it names, for <c>Derived.StageNormalDays</c>,
    /// <c>Derived.StageAgeRatio</c> and the normal cycle. The result's <see cref="CompiledScorecard.Definition"/> is
    /// the scorecard as given, its own <c>normalDays</c> included.
    /// </summary>
    public static CompiledScorecard Compile(Scorecard scorecard, IReadOnlyDictionary<string, int>? normalDaysByStage)
    {
        ArgumentNullException.ThrowIfNull(scorecard);
        if (normalDaysByStage?.FirstOrDefault(entry => entry.Value <= 0) is { Key: { } stage, Value: var days })
        {
            throw new ArgumentOutOfRangeException(nameof(normalDaysByStage), $"Normal days must be positive; '{stage}' has {days}.");
        }

        Validator.ValidateAndThrow(scorecard);

        var roleNames = ScorecardValidator.AllConditions(scorecard)
            .Where(condition => condition.Field is not null
                && FactCatalog.Resolve(condition.Field, scorecard.CustomFields)?.Type == FactType.RoleSet)
            .SelectMany(condition => condition.Values ?? [])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var layout = new FactLayout(scorecard, roleNames, normalDaysByStage);
        var nodes = new List<ConditionNode>();

        var criteria = scorecard.Criteria.Select(criterion =>
        {
            var root = Emit(criterion.Rule!, scorecard, layout, nodes);
            var stageIndex = criterion.ExpectedFromStage is { } stage ? layout.StageIndexByName[stage] : -1;
            return new CompiledCriterion(criterion, stageIndex, root, nodes[root].Rule);
        }).ToArray();

        var flags = scorecard.Flags.Select(flag =>
        {
            var root = Emit(flag.When!, scorecard, layout, nodes);
            var parts = ReasonTemplate.Parse(flag.Reason).ToArray();
            var slots = parts.Where(part => part.IsPlaceholder).Select(part => layout.SlotOf(part.Text)).ToArray();
            return new CompiledFlag(flag, root, nodes[root].Rule, parts, slots);
        }).ToArray();

        var gradeByScore = new GradeBand[101];
        foreach (var band in scorecard.Grades)
        {
            for (var score = band.Min; score <= band.Max; score++)
            {
                gradeByScore[score] = band;
            }
        }

        return new CompiledScorecard(scorecard, layout, [.. nodes], criteria, flags, gradeByScore);
    }

    private static int Emit(Condition condition, Scorecard scorecard, FactLayout layout, List<ConditionNode> nodes)
    {
        var index = nodes.Count;
        if (condition.All is { } all || condition.Any is not null)
        {
            var isAll = condition.All is not null;
            var childConditions = condition.All ?? condition.Any!;
            nodes.Add(default);
            var children = childConditions.Select(child => Emit(child, scorecard, layout, nodes)).ToArray();
            var childRules = children.Select(child => Parenthesise(nodes[child]));
            var rule = string.Join(isAll ? " AND " : " OR ", childRules);
            nodes[index] = new ConditionNode(isAll ? NodeKind.All : NodeKind.Any, default, -1, 0, 0, null, null, null,
                children, isAll ? "all of" : "any of", rule);
            return index;
        }

        nodes.Add(CompileLeaf(condition, scorecard, layout));
        return index;
    }

    private static string Parenthesise(ConditionNode node) => node.Kind == NodeKind.Leaf ? node.Rule : $"({node.Rule})";

    private static ConditionNode CompileLeaf(Condition condition, Scorecard scorecard, FactLayout layout)
    {
        var field = condition.Field!;
        var op = condition.Operator!;
        var fact = FactCatalog.Resolve(field, scorecard.CustomFields)!;
        var slot = layout.SlotOf(field);
        var value = condition.Value;
        var number = value is { ValueKind: JsonValueKind.Number } element ? element.GetDouble() : 0;
        var text = value is { ValueKind: JsonValueKind.String } textElement ? textElement.GetString() : null;
        var values = condition.Values?.ToArray();
        var shown = FormatOperand(value);
        var list = values is null ? "" : string.Join(", ", values.Select(item => $"'{item}'"));
        var label = FactCatalog.Label(field, scorecard.CustomFields);

        ConditionNode Leaf(LeafOperation operation, string rule, double operand = 0, ulong mask = 0, int[]? stages = null) =>
            new(NodeKind.Leaf, operation, slot, operand, mask, text, values, stages, null, field, rule, label);

        int StageIndex(string name) => layout.StageIndexByName[name];

        return (fact.Type, op) switch
        {
            (_, ConditionOperators.IsSet) => Leaf(LeafOperation.IsSet, $"{field} is set"),
            (_, ConditionOperators.IsNotSet) => Leaf(LeafOperation.IsNotSet, $"{field} is not set"),
            (_, ConditionOperators.IsTrue) => Leaf(LeafOperation.IsTrue, $"{field} is true"),
            (_, ConditionOperators.IsFalse) => Leaf(LeafOperation.IsFalse, $"{field} is false"),
            (FactType.Number, ConditionOperators.Eq) => Leaf(LeafOperation.NumberEq, $"{field} = {shown}", number),
            (FactType.Number, ConditionOperators.Ne) => Leaf(LeafOperation.NumberNe, $"{field} ≠ {shown}", number),
            (FactType.Number, ConditionOperators.Gt) => Leaf(LeafOperation.NumberGt, $"{field} > {shown}", number),
            (FactType.Number, ConditionOperators.Gte) => Leaf(LeafOperation.NumberGte, $"{field} ≥ {shown}", number),
            (FactType.Number, ConditionOperators.Lt) => Leaf(LeafOperation.NumberLt, $"{field} < {shown}", number),
            (FactType.Number, ConditionOperators.Lte) => Leaf(LeafOperation.NumberLte, $"{field} ≤ {shown}", number),
            (FactType.Text, ConditionOperators.Eq) => Leaf(LeafOperation.TextEq, $"{field} is '{text}'"),
            (FactType.Text, ConditionOperators.Ne) => Leaf(LeafOperation.TextNe, $"{field} is not '{text}'"),
            (FactType.Text, ConditionOperators.In) => Leaf(LeafOperation.TextIn, $"{field} is one of {list}"),
            (FactType.Text, ConditionOperators.NotIn) => Leaf(LeafOperation.TextNotIn, $"{field} is none of {list}"),
            (FactType.Text, ConditionOperators.Contains) => Leaf(LeafOperation.TextContains, $"{field} contains '{text}'"),
            (FactType.Stage, ConditionOperators.Eq) => Leaf(LeafOperation.StageIn, $"{field} is '{text}'", stages: [StageIndex(text!)]),
            (FactType.Stage, ConditionOperators.Ne) => Leaf(LeafOperation.StageNotIn, $"{field} is not '{text}'", stages: [StageIndex(text!)]),
            (FactType.Stage, ConditionOperators.In) => Leaf(LeafOperation.StageIn, $"{field} is one of {list}", stages: [.. values!.Select(StageIndex)]),
            (FactType.Stage, ConditionOperators.NotIn) => Leaf(LeafOperation.StageNotIn, $"{field} is none of {list}", stages: [.. values!.Select(StageIndex)]),
            (FactType.Stage, ConditionOperators.AtOrAfter) => Leaf(LeafOperation.StageAtOrAfter, $"{field} is '{text}' or later", StageIndex(text!)),
            (FactType.Stage, ConditionOperators.Before) => Leaf(LeafOperation.StageBefore, $"{field} is before '{text}'", StageIndex(text!)),
            (FactType.RoleSet, ConditionOperators.ContainsAny) => Leaf(LeafOperation.RolesContainAny, $"contact roles include any of {list}", mask: layout.RoleMaskOf(values!)),
            (FactType.RoleSet, ConditionOperators.ContainsAll) => Leaf(LeafOperation.RolesContainAll, $"contact roles include all of {list}", mask: layout.RoleMaskOf(values!)),
            (FactType.RoleSet, ConditionOperators.ContainsNone) => Leaf(LeafOperation.RolesContainNone, $"contact roles include none of {list}", mask: layout.RoleMaskOf(values!)),
            (FactType.Date, ConditionOperators.DaysSinceAtLeast) => Leaf(LeafOperation.DaysSinceAtLeast, $"{field} is at least {shown} day(s) before the as-of date", number),
            (FactType.Date, ConditionOperators.DaysSinceAtMost) => Leaf(LeafOperation.DaysSinceAtMost, $"{field} is at most {shown} day(s) before the as-of date", number),
            (FactType.Date, ConditionOperators.DaysUntilAtLeast) => Leaf(LeafOperation.DaysUntilAtLeast, $"{field} is at least {shown} day(s) after the as-of date", number),
            (FactType.Date, ConditionOperators.DaysUntilAtMost) => Leaf(LeafOperation.DaysUntilAtMost, $"{field} is at most {shown} day(s) after the as-of date", number),
            _ => throw new InvalidOperationException($"Operator '{op}' on {fact.Type} passed validation but has no compiled form."),
        };
    }

    private static string FormatOperand(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.Number } number => number.GetDouble().ToString("0.##", CultureInfo.InvariantCulture),
        { ValueKind: JsonValueKind.String } text => text.GetString() ?? "",
        { } other => other.GetRawText(),
        null => "",
    };
}
