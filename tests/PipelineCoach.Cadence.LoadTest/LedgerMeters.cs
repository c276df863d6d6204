using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using PipelineCoach.Cadence.Ledger;

namespace PipelineCoach.Cadence.LoadTest;

/// <summary>
/// Listens in-process to the ledger's instruments of every hosted instance (meter <c>PipelineCoach.cadence</c>): the
/// raw <c>cadence_claim_duration</c> values with when they were recorded, and occurrences fired per instance (each
/// instance has its own meter object).
/// </summary>
internal sealed class LedgerMeters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(long At, double Seconds)> _claims = new();
    private readonly ConcurrentDictionary<Meter, long> _firedByInstance = new();

    public LedgerMeters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LedgerMetrics.MeterName && instrument.Name is "cadence_claim_duration" or "cadence_occurrences_fired")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "cadence_claim_duration")
            {
                _claims.Enqueue((Stopwatch.GetTimestamp(), value));
            }
        });
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "cadence_occurrences_fired" && value > 0)
            {
                _firedByInstance.AddOrUpdate(instrument.Meter, value, (_, total) => total + value);
            }
        });
        _listener.Start();
    }

    /// <summary>Claim round durations in milliseconds recorded between the two Stopwatch timestamps, sorted.</summary>
    public double[] ClaimMilliseconds(long from, long to) =>
        [.. _claims.Where(c => c.At >= from && c.At <= to).Select(c => c.Seconds * 1000).Order()];

    /// <summary>Occurrences fired by each instance so far (instances that fired nothing are left out).</summary>
    public IReadOnlyList<long> FiredByInstance => [.. _firedByInstance.Values];

    public void ResetFired() => _firedByInstance.Clear();

    public void Dispose() => _listener.Dispose();
}
