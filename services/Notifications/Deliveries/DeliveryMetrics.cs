using System.Diagnostics.Metrics;

namespace PipelineCoach.Notifications.Deliveries;

/// <summary>What the dispatcher did, and how far behind it is: a queue that stalls shows here, not only in complaints.</summary>
public sealed class DeliveryMetrics
{
    public const string MeterName = "PipelineCoach.notifications";

    private long _due;
    private long _measuredAt;
    private double _oldestDueSeconds;

    public DeliveryMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        Sent = meter.CreateCounter<long>("notifications.deliveries.sent", description: "Deliveries sent, by channel.");
        Failed = meter.CreateCounter<long>("notifications.deliveries.failed", description: "Deliveries given up on (retry by API), by channel.");
        Retried = meter.CreateCounter<long>("notifications.deliveries.retried", description: "Failed attempts scheduled for another, by channel.");
        Routed = meter.CreateCounter<long>("notifications.deliveries.routed", description: "Deliveries decided and logged, queued or held.");
        Digests = meter.CreateCounter<long>("notifications.digests.composed", description: "Digests composed from held deliveries.");
        SendDuration = meter.CreateHistogram<double>("notifications.send.duration", "s", "One attempt on a channel.");
        meter.CreateObservableGauge("notifications.deliveries.due", () => Volatile.Read(ref _due), description: "Deliveries whose time has come: queued ones due, held ones past their digest or quiet hours.");
        meter.CreateObservableGauge("notifications.deliveries.oldest_due_age", () => Volatile.Read(ref _oldestDueSeconds), "s", "How long the oldest due delivery has waited.");
    }

    public Counter<long> Sent { get; }

    public Counter<long> Failed { get; }

    public Counter<long> Retried { get; }

    public Counter<long> Routed { get; }

    public Counter<long> Digests { get; }

    public Histogram<double> SendDuration { get; }

    /// <summary>
    /// The backlog as last measured (queued deliveries due, held ones past their time) and how long ago that was (null
    /// before the first measurement); the readiness check reads it too.
    /// </summary>
    public (long Due, TimeSpan OldestDue, TimeSpan? Age) Backlog =>
        (Volatile.Read(ref _due), TimeSpan.FromSeconds(Volatile.Read(ref _oldestDueSeconds)),
            Volatile.Read(ref _measuredAt) is var at and not 0 ? System.Diagnostics.Stopwatch.GetElapsedTime(at) : null);

    public void RecordBacklog(long due, TimeSpan oldestDue)
    {
        Volatile.Write(ref _due, due);
        Volatile.Write(ref _oldestDueSeconds, oldestDue.TotalSeconds);
        Volatile.Write(ref _measuredAt, System.Diagnostics.Stopwatch.GetTimestamp());
    }
}
