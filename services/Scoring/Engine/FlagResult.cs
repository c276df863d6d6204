namespace PipelineCoach.Scoring.Engine;

public readonly record struct FlagResult(CompiledFlag Flag, bool Raised, Evidence Evidence)
{
    internal FactValue[] Facts { get; init; } = [];

    /// <summary>The flag's reason with its placeholders filled in, e.g. "close date pushed 3 times across 2 quarters".</summary>
    public string Reason => Flag.RenderReason(Facts);
}
