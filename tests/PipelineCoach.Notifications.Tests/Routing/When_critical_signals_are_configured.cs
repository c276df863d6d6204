using System.Net.Http.Json;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Routing;

/// <summary><c>Notifications:CriticalSignals</c> replaces the default (escalation): those signals, and only those, break through quiet hours.</summary>
public sealed class When_critical_signals_are_configured
{
    [Test]
    public async Task Should_break_through_quiet_hours_with_the_signals_configured_critical_and_only_those()
    {
        await using var host = await NotificationsHost.StartAsync(new Dictionary<string, string?> { ["Notifications:CriticalSignals:0"] = "opportunity-risk" });
        var owner = await host.UserAsync("Cora Critical", zone: "America/New_York");
        using (var writer = host.Writer())
        {
            await writer.PutAsJsonAsync($"/api/v1/recipients/{owner}/preferences", new { quietHours = new { start = "20:00", end = "07:00" } });
        }

        await host.PublishAsync(NotificationsHost.Scored(await host.OpportunityAsync("Critical deal", 1_000m, owner), owner, ["stalled"], previousFlags: []));
        await host.PublishAsync(new Contracts.Scoring.PipelineHealthChanged
        {
            BusinessKey = $"tunnel-vision:{owner}:2026-Q4", SubjectKind = "rep", SubjectId = owner, Period = "2026-Q4",
            Condition = "tunnel-vision", IsRaised = true, OccurredAt = TestClock.Now,
        });

        var deliveries = await host.DeliveriesAsync($"recipientId={owner}", d => d.Count == 2 && d.Any(x => x.Status == "sent"), "the risk sent, the health held");
        Assert.That(deliveries.Select(d => (d.Signal, d.Status)), Is.EquivalentTo(new[] { ("opportunity-risk", "sent"), ("pipeline-health", "held") }));
    }
}
