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
    /// The stage the deal last stood open in, when known: the open snapshot's stage, or the one a rebuilt deal's
    /// history shows. Null when a rebuilt deal's stage is only a guess from its outcome, which would tell the per-stage
    /// win rates what they are meant to find out.
    /// </summary>
    public string? Stage { get; init; } = LastOpenSnapshot.Opportunity.StageName;

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
        return new ClosedOpportunity(open, asOf, won, ReplayedFromClosedSnapshot: true)
        {
            Stage = ClosedSnapshotReplay.EnteredLastOpenStage(snapshot.History, stages),
        };
    }
}
