namespace PipelineCoach.Scoring.Engine;

/// <summary>Where a fact may be used: everywhere, or only in flags (facts computed from the criteria).</summary>
public enum FactScope
{
    Anywhere,
    FlagsOnly,
}
