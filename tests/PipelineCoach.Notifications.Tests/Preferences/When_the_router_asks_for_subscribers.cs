using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Notifications.Subscriptions;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Preferences;

/// <summary>
/// <see cref="SubscriptionStore.SubscribersAsync"/>: org-wide subscribers of the signal and those of a team in the
/// given management chain, each once. On a database of its own, so the answer can be compared exactly.
/// </summary>
public sealed class When_the_router_asks_for_subscribers
{
    private NotificationsHost _notifications = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _notifications = await NotificationsHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _notifications.DisposeAsync();

    [Test]
    public async Task Should_name_the_org_wide_and_chain_team_subscribers_of_the_signal_once_and_no_others()
    {
        var manager = TestIds.New("005");
        var managersManager = TestIds.New("005");
        var orgWide = TestIds.New("005");
        var team = TestIds.New("005");
        var chainAbove = TestIds.New("005");
        var both = TestIds.New("005");
        var otherTeam = TestIds.New("005");
        var otherSignal = TestIds.New("005");
        await _notifications.SubscribeAsync(orgWide, "opportunity-risk");
        await _notifications.SubscribeAsync(team, "opportunity-risk", manager);
        await _notifications.SubscribeAsync(chainAbove, "opportunity-risk", managersManager);
        await _notifications.SubscribeAsync(both, "opportunity-risk");
        await _notifications.SubscribeAsync(both, "opportunity-risk", manager);
        await _notifications.SubscribeAsync(otherTeam, "opportunity-risk", TestIds.New("005"));
        await _notifications.SubscribeAsync(otherSignal, "escalation");
        await _notifications.SubscribeAsync(otherSignal, "cadence-due", manager);
        var store = _notifications.Host.Services.GetRequiredService<SubscriptionStore>();

        var subscribers = await store.SubscribersAsync("opportunity-risk", [manager, managersManager], CancellationToken.None);
        var orgOnly = await store.SubscribersAsync("opportunity-risk", [], CancellationToken.None);

        Assert.That(subscribers, Is.EquivalentTo(new[] { orgWide, team, chainAbove, both }));
        Assert.That(orgOnly, Is.EquivalentTo(new[] { orgWide, both }));
    }
}
