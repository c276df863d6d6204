using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace PipelineCoach.Notifications.Deliveries;

/// <summary>
/// A stalled queue is not silent: readiness reports Degraded when a due delivery has waited longer than
/// <see cref="NotificationsOptions.StallAfter"/> (a dead channel, a crashed dispatcher, a flood), with the backlog.
/// </summary>
internal sealed class DeliveryBacklogHealthCheck(DeliveryMetrics metrics, IOptions<NotificationsOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (due, oldest) = metrics.Backlog;
        var data = new Dictionary<string, object> { ["due"] = due, ["oldestDueSeconds"] = Math.Round(oldest.TotalSeconds) };
        return Task.FromResult(oldest > options.Value.StallAfter
            ? HealthCheckResult.Degraded($"{due} deliveries due; the oldest has waited {oldest:g}", data: data)
            : HealthCheckResult.Healthy($"{due} deliveries due", data));
    }
}
