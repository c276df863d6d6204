using PipelineCoach.ServiceDefaults.Messaging;

namespace PipelineCoach.Cadence.Ledger;

/// <summary>
/// Wakes this instance's materializer and claimer now instead of at their next poll: after a cadence is created or
/// changed, or an event-driven occurrence is inserted.
/// </summary>
public sealed class LedgerSignal
{
    public WakeSignal Materialize { get; } = new();

    public WakeSignal Claim { get; } = new();

    /// <summary>A cadence was created or its schedule changed: extend its horizon, then fire what is due.</summary>
    public void CadenceChanged()
    {
        Materialize.Notify();
        Claim.Notify();
    }

    /// <summary>Occurrences that may be due now were written.</summary>
    public void OccurrencesWritten() => Claim.Notify();
}
