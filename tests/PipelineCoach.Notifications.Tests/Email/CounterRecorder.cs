using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace PipelineCoach.Notifications.Tests.Email;

/// <summary>Records one counter's measurements, only from the meters of one meter factory (one test's sender).</summary>
internal sealed class CounterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(long Value, IReadOnlyDictionary<string, object?> Tags)> _measurements = new();

    public CounterRecorder(IMeterFactory factory, string meterName, string counterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Meter.Name == meterName && instrument.Name == counterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var all = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                all[tag.Key] = tag.Value;
            }

            _measurements.Enqueue((value, all));
        });
        _listener.Start();
    }

    public IReadOnlyList<(long Value, IReadOnlyDictionary<string, object?> Tags)> Measurements => [.. _measurements];

    public void Dispose() => _listener.Dispose();
}
