using System.Diagnostics.Metrics;

namespace PipelineCoach.Notifications.Channels.Email;

/// <summary>The email channel's instruments (meter <c>PipelineCoach.notifications</c>, exported on /metrics).</summary>
internal sealed class EmailMetrics
{
    /// <summary>The service's meter name (<c>PipelineCoach.{service}</c>), the one ServiceDefaults exports.</summary>
    public const string MeterName = "PipelineCoach.notifications";

    public const string RelayFailoversName = "notifications.email.relay_failovers";

    public EmailMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        RelayFailovers = meter.CreateCounter<long>(RelayFailoversName,
            description: "Messages a relay did not take (it failed, or its circuit was open) and that went on to the next relay. Tags: relay (host:port), reason (failed | circuit-open).");
    }

    public Counter<long> RelayFailovers { get; }
}
