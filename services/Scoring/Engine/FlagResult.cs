namespace PipelineCoach.Scoring.Engine;

public readonly record struct FlagResult(CompiledFlag Flag, bool Raised, Evidence Evidence)
{
    internal FactValue[] Facts { get; init; } = [];

    /// <summary>The plain label of the fact that decided the outcome.</summary>
    public string Label { get; init; } = "";

    /// <summary>
    /// In plain words, led by the flag's name: the reason template filled in when raised ("Slipping: close date pushed
    /// out 3 times…"), else what kept it down.
    /// </summary>
    public string Reason => Raised
        ? Explanations.FlagRaised(Flag, Flag.RenderReason(Facts))
        : Explanations.FlagNotRaised(Flag, Label, Evidence.Value.ToString(), NotChecked);

    /// <summary>True when the flag was not evaluated because the deal is closed.</summary>
    internal bool NotChecked { get; init; }
}
