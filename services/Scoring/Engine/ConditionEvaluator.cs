namespace PipelineCoach.Scoring.Engine;

/// <summary>
/// Evaluates compiled condition trees over a span of facts. Missing (or unreadable) values satisfy only
/// <c>isNotSet</c>: an unknown fact never meets a criterion and never raises a flag.
/// </summary>
internal static class ConditionEvaluator
{
    /// <param name="decisiveLeaf">The leaf whose outcome decided the result; its fact is the evidence.</param>
    public static bool Evaluate(ConditionNode[] nodes, int index, ReadOnlySpan<FactValue> facts, int asOfDay, out int decisiveLeaf)
    {
        ref readonly var node = ref nodes[index];
        switch (node.Kind)
        {
            case NodeKind.All:
            {
                decisiveLeaf = index;
                foreach (var child in node.Children!)
                {
                    if (!Evaluate(nodes, child, facts, asOfDay, out decisiveLeaf))
                    {
                        return false;
                    }
                }

                return true;
            }

            case NodeKind.Any:
            {
                var firstFailure = -1;
                foreach (var child in node.Children!)
                {
                    if (Evaluate(nodes, child, facts, asOfDay, out var leaf))
                    {
                        decisiveLeaf = leaf;
                        return true;
                    }

                    if (firstFailure < 0)
                    {
                        firstFailure = leaf;
                    }
                }

                decisiveLeaf = firstFailure;
                return false;
            }

            default:
                decisiveLeaf = index;
                return EvaluateLeaf(in node, in facts[node.Slot], asOfDay);
        }
    }

    private static bool EvaluateLeaf(in ConditionNode node, in FactValue fact, int asOfDay)
    {
        if (!fact.IsPresent)
        {
            return node.Operation == LeafOperation.IsNotSet;
        }

        var number = fact.Number;
        return node.Operation switch
        {
            LeafOperation.IsSet => true,
            LeafOperation.IsNotSet => false,
            LeafOperation.IsTrue => number != 0,
            LeafOperation.IsFalse => number == 0,
            LeafOperation.NumberEq => number == node.Operand,
            LeafOperation.NumberNe => number != node.Operand,
            LeafOperation.NumberGt => number > node.Operand,
            LeafOperation.NumberGte => number >= node.Operand,
            LeafOperation.NumberLt => number < node.Operand,
            LeafOperation.NumberLte => number <= node.Operand,
            LeafOperation.TextEq => string.Equals(fact.Text, node.TextOperand, StringComparison.OrdinalIgnoreCase),
            LeafOperation.TextNe => !string.Equals(fact.Text, node.TextOperand, StringComparison.OrdinalIgnoreCase),
            LeafOperation.TextIn => TextIsOneOf(fact.Text, node.TextOperands!),
            LeafOperation.TextNotIn => !TextIsOneOf(fact.Text, node.TextOperands!),
            LeafOperation.TextContains => fact.Text!.Contains(node.TextOperand!, StringComparison.OrdinalIgnoreCase),
            LeafOperation.StageIn => number >= 0 && Array.IndexOf(node.StageOperands!, (int)number) >= 0,
            LeafOperation.StageNotIn => number >= 0 && Array.IndexOf(node.StageOperands!, (int)number) < 0,
            LeafOperation.StageAtOrAfter => number >= node.Operand,
            LeafOperation.StageBefore => number >= 0 && number < node.Operand,
            LeafOperation.RolesContainAny => (fact.RoleMask & node.Mask) != 0,
            LeafOperation.RolesContainAll => (fact.RoleMask & node.Mask) == node.Mask,
            LeafOperation.RolesContainNone => (fact.RoleMask & node.Mask) == 0,
            LeafOperation.DaysSinceAtLeast => asOfDay - number >= node.Operand,
            LeafOperation.DaysSinceAtMost => asOfDay - number <= node.Operand,
            LeafOperation.DaysUntilAtLeast => number - asOfDay >= node.Operand,
            LeafOperation.DaysUntilAtMost => number - asOfDay <= node.Operand,
            _ => false,
        };
    }

    private static bool TextIsOneOf(string? text, string[] options)
    {
        foreach (var option in options)
        {
            if (string.Equals(text, option, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
