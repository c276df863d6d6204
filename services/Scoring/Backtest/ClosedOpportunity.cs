using PipelineCoach.Contracts.Sync;
using PipelineCoach.Scoring.Engine;

namespace PipelineCoach.Scoring.Backtest;

/// <summary>
/// A closed opportunity to replay: its last open snapshot, the day to score it as of, and the outcome.
/// <see cref="ReplayedFromClosedSnapshot"/> says the open snapshot was rebuilt from the closed one.
/// </summary>
public sealed record ClosedOpportunity(OpportunityChanged LastOpenSnapshot, DateOnly AsOf, bool Won, bool ReplayedFromClosedSnapshot = false)
{
    /// <summary>
    /// The deal to replay from what the mirror holds: the last open snapshot as of the day it was current, or, when
    /// only the closed snapshot is known, an open one rebuilt from it (see <see cref="ClosedSnapshotReplay"/>).
    /// </summary>
    public static ClosedOpportunity From(OpportunityChanged snapshot, bool won, DateOnly? closeDate, IReadOnlyList<StageDefinition> stages)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(stages);
        if (snapshot.Opportunity.IsClosed != true)
        {
            return new ClosedOpportunity(snapshot, DateOnly.FromDateTime(snapshot.SourceVersion.UtcDateTime), won);
        }

        var (open, asOf) = ClosedSnapshotReplay.Rebuild(snapshot, won, closeDate, stages);
        return new ClosedOpportunity(open, asOf, won, ReplayedFromClosedSnapshot: true);
    }
}
