namespace PipelineCoach.Scoring.Engine;

internal enum NodeKind : byte
{
    Leaf,
    All,
    Any,
}

internal enum LeafOperation : byte
{
    IsSet,
    IsNotSet,
    IsTrue,
    IsFalse,
    NumberEq,
    NumberNe,
    NumberGt,
    NumberGte,
    NumberLt,
    NumberLte,
    TextEq,
    TextNe,
    TextIn,
    TextNotIn,
    TextContains,
    StageIn,
    StageNotIn,
    StageAtOrAfter,
    StageBefore,
    RolesContainAny,
    RolesContainAll,
    RolesContainNone,
    DaysSinceAtLeast,
    DaysSinceAtMost,
    DaysUntilAtLeast,
    DaysUntilAtMost,
}

/// <summary>
/// One node of a compiled condition tree, stored in a flat array. Everything an evaluation needs is resolved
/// at compile time: the fact slot, the parsed operand, and the evidence strings (field name, rule text).
/// </summary>
internal readonly record struct ConditionNode(
    NodeKind Kind,
    LeafOperation Operation,
    int Slot,
    double Operand,
    ulong Mask,
    string? TextOperand,
    string[]? TextOperands,
    int[]? StageOperands,
    int[]? Children,
    string Field,
    string Rule);
