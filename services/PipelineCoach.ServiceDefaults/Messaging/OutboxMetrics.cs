using System.Diagnostics.Metrics;

namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>
/// The outbox's instruments (meter <c>PipelineCoach.Outbox</c>), each tagged with the service. In Prometheus:
/// <c>outbox_messages_published_total</c>, <c>outbox_messages_failed_total</c> (attempts that counted against a row),
/// <c>outbox_messages_parked_total</c> (rows set aside), <c>outbox_dispatch_round_failures_total</c> (rounds that backed
/// off, e.g. the broker was down) and the gauge <c>outbox_messages_parked</c> (parked messages now).
/// </summary>
public sealed class OutboxMetrics
{
    public const string MeterName = "PipelineCoach.Outbox";

    private readonly KeyValuePair<string, object?> _service;
    private readonly Counter<long> _published;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _parked;
    private readonly Counter<long> _roundFailures;
    private long _parkedNow;

    public OutboxMetrics(IMeterFactory meterFactory, ServiceInfo service)
    {
        var meter = meterFactory.Create(MeterName);
        _service = new("service", service.Name);
        _published = meter.CreateCounter<long>("outbox.messages.published", description: "Messages the broker confirmed.");
        _failed = meter.CreateCounter<long>("outbox.messages.failed", description: "Message publish attempts that failed and counted against their row.");
        _parked = meter.CreateCounter<long>("outbox.messages.parked.total", description: "Messages parked after their row used up its attempts.");
        _roundFailures = meter.CreateCounter<long>("outbox.dispatch.round_failures", description: "Dispatch rounds that failed as a whole and backed off.");
        meter.CreateObservableGauge("outbox.messages.parked", () => new Measurement<long>(Interlocked.Read(ref _parkedNow), _service),
            description: "Messages parked now, awaiting an operator (GET /api/v1/admin/outbox/parked).");
    }

    public void Published(int messages)
    {
        if (messages > 0)
        {
            _published.Add(messages, _service);
        }
    }

    public void Failed(int messages) => _failed.Add(messages, _service);

    public void Parked(int messages) => _parked.Add(messages, _service);

    public void RoundFailed() => _roundFailures.Add(1, _service);

    public void SetParkedCount(long messages) => Interlocked.Exchange(ref _parkedNow, messages);
}
