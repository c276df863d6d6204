namespace PipelineCoach.Scoring.Engine;

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
    string Rule,
    string Label = "");
