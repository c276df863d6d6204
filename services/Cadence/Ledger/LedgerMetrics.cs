using System.Diagnostics.Metrics;

namespace PipelineCoach.Cadence.Ledger;

/// <summary>The ledger's instruments (meter <c>PipelineCoach.cadence</c>, exported on /metrics).</summary>
public sealed class LedgerMetrics
{
    public const string MeterName = "PipelineCoach.cadence";

    public LedgerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        ClaimDuration = meter.CreateHistogram<double>("cadence_claim_duration", "s", "Time to claim one round of due slots (the SKIP LOCKED lease transaction).");
        Fired = meter.CreateCounter<long>("cadence_occurrences_fired", description: "Occurrences that came due and were published with their agenda.");
        Misfired = meter.CreateCounter<long>("cadence_occurrences_misfired", description: "Slots recorded skipped because they were seen too late (misfire).");
        Missed = meter.CreateCounter<long>("cadence_occurrences_missed", description: "Due occurrences neither held nor skipped within their window.");
    }

    public Histogram<double> ClaimDuration { get; }

    public Counter<long> Fired { get; }

    public Counter<long> Misfired { get; }

    public Counter<long> Missed { get; }
}
