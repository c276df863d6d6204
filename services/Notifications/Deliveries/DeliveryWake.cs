using PipelineCoach.ServiceDefaults.Messaging;

namespace PipelineCoach.Notifications.Deliveries;

/// <summary>Wakes this instance's dispatcher and digest composer as soon as there is work, instead of at their next poll.</summary>
public sealed class DeliveryWake
{
    public WakeSignal Dispatch { get; } = new();

    public WakeSignal Digest { get; } = new();
}
