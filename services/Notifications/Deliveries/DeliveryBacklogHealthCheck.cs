using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace PipelineCoach.Notifications.Deliveries;

/// <summary>
/// A stalled queue is not silent: readiness reports Degraded when a due delivery (or a held one past its time) has
/// waited longer than <see cref="NotificationsOptions.StallAfter"/> (a dead channel, a broken digest composer, a
/// flood), or when the dispatcher has stopped measuring (a hung loop), with the backlog.
/// </summary>
internal sealed class DeliveryBacklogHealthCheck(DeliveryMetrics metrics, IOptions<NotificationsOptions> options) : IHealthCheck
{
    /// <summary>The dispatcher measures every 10 s (or after its round): a minute without means it is not running rounds.</summary>
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (due, oldest, age) = metrics.Backlog;
        var data = new Dictionary<string, object> { ["due"] = due, ["oldestDueSeconds"] = Math.Round(oldest.TotalSeconds) };
        return Task.FromResult(
            age is null ? HealthCheckResult.Healthy("the dispatcher has not measured its backlog yet")
            : age > StaleAfter ? HealthCheckResult.Degraded($"the dispatcher has not measured its backlog for {age:g}; its loop may be stuck", data: data)
            : oldest > options.Value.StallAfter ? HealthCheckResult.Degraded($"{due} deliveries due; the oldest has waited {oldest:g}", data: data)
            : HealthCheckResult.Healthy($"{due} deliveries due", data));
    }
}
