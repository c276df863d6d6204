using PipelineCoach.Scoring.Engine;

namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>
/// The open stages in order (the qualification scorecard's <c>stages</c>), to tell whether a deal got as far as a
/// stage even when it skipped it.
/// </summary>
internal sealed record StageLadder(IReadOnlyList<StageDefinition> Stages)
{
    public static readonly StageLadder Empty = new([]);

    public int IndexOf(string stage)
    {
        for (var i = 0; i < Stages.Count; i++)
        {
            if (string.Equals(Stages[i].Name, stage, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Whether the deal entered <paramref name="stage"/> or a later stage of the ladder. A won deal has reached every
    /// stage; a deal without stage history has reached none that can be shown.
    /// </summary>
    public bool Reached(ClosedDeal deal, string stage)
    {
        if (deal.IsWon)
        {
            return true;
        }

        var target = IndexOf(stage);
        foreach (var entered in deal.StageEnteredAt.Keys)
        {
            if (string.Equals(entered, stage, StringComparison.OrdinalIgnoreCase) || (target >= 0 && IndexOf(entered) >= target))
            {
                return true;
            }
        }

        return false;
    }
}
