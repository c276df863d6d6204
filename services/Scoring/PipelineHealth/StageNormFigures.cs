using System.Collections.Frozen;

namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>One set of the org's stage norms (stage name → median days, case-insensitive) and its generation.</summary>
internal sealed record StageNormFigures(long Generation, FrozenDictionary<string, int> DaysByStage)
{
    /// <summary>Before the first refresh (or with too little history): no org figures, every scorecard's own stand.</summary>
    public static readonly StageNormFigures None = new(0, FrozenDictionary<string, int>.Empty);
}
