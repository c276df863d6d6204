namespace PipelineCoach.Scoring.Engine;

/// <summary>Why a criterion or flag came out as it did: the fact read, its value, and the rule applied to it.</summary>
public readonly record struct Evidence(string Field, FactValue Value, string Rule)
{
    public override string ToString() => $"{Field} = {Value} (rule: {Rule})";
}
