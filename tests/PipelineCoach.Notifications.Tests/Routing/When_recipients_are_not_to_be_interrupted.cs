using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Contracts.Notifications;
using PipelineCoach.Notifications.Escalations;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Routing;

/// <summary>Quiet hours in each recipient's own zone, critical signals breaking through, digests, and the daily budget overflowing into the digest.</summary>
public sealed class When_recipients_are_not_to_be_interrupted
{
    private NotificationsHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await NotificationsHost.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    private async Task PreferAsync(string userId, object preferences)
    {
        using var writer = _host.Writer();
        var response = await writer.PutAsJsonAsync($"/api/v1/recipients/{userId}/preferences", preferences);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Should_hold_risks_in_quiet_hours_by_each_recipients_own_zone_and_send_them_when_quiet_hours_end()
    {
        // 09:30 UTC is 18:30 in Tokyo (awake) and 04:30 in New York (asleep).
        var tokyo = await _host.UserAsync("Taro Tokyo", zone: "Asia/Tokyo");
        var newYork = await _host.UserAsync("Nina NewYork", zone: "America/New_York");
        foreach (var user in new[] { tokyo, newYork })
        {
            await PreferAsync(user, new { quietHours = new { start = "20:00", end = "07:00" } });
            await _host.PublishAsync(NotificationsHost.Scored(await _host.OpportunityAsync($"Deal of {user}", 10_000m, user), user, ["stalled"], previousFlags: []));
        }

        await _host.MailToAsync(await _host.EmailOfAsync(tokyo), 1);
        var held = (await _host.DeliveriesAsync($"recipientId={newYork}", d => d.Count == 1, "the New York delivery")).Single();
        Assert.That((held.Status, held.HoldReason, held.HeldUntil), Is.EqualTo(("held", "quiet-hours", (DateTimeOffset?)new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero))));
        Assert.That(held.Resolution.TimeZone, Is.EqualTo("America/New_York"));
        Assert.That(await _host.Maildev.Mail.ToAsync(await _host.EmailOfAsync(newYork)), Is.Empty);

        _host.Advance(TimeSpan.FromHours(2.5));
        var morning = await _host.MailToAsync(await _host.EmailOfAsync(newYork), 1);
        Assert.That(morning[0].Text, Does.Contain($"Deal of {newYork}"));
    }

    [Test]
    public async Task Should_use_a_time_zone_override_over_the_salesforce_zone()
    {
        var traveller = await _host.UserAsync("Tom Traveller", zone: "Asia/Tokyo");
        await PreferAsync(traveller, new { quietHours = new { start = "20:00", end = "07:00" }, timeZone = "America/Los_Angeles" });

        await _host.PublishAsync(NotificationsHost.Scored(await _host.OpportunityAsync("Travel deal", 1_000m, traveller), traveller, ["stalled"], previousFlags: []));

        var held = (await _host.DeliveriesAsync($"recipientId={traveller}", d => d.Count == 1, "the delivery")).Single();
        Assert.That((held.HoldReason, held.Resolution.TimeZone), Is.EqualTo(("quiet-hours", "America/Los_Angeles")));
    }

    [Test]
    public async Task Should_let_an_escalation_break_through_the_managers_quiet_hours()
    {
        var manager = await _host.UserAsync("Maria Manager", zone: "America/New_York");
        var owner = await _host.UserAsync("Rita Rep", manager, zone: "UTC");
        await PreferAsync(manager, new { quietHours = new { start = "20:00", end = "07:00" } });
        await _host.PublishAsync(NotificationsHost.Scored(await _host.OpportunityAsync("Urgent deal", 250_000m, owner), owner, ["slipping"], previousFlags: []));

        // 24 business hours in UTC from Wednesday 09:30: Monday 09:30 UTC, 04:30 in New York.
        _host.Advance(new DateTimeOffset(2026, 11, 30, 9, 30, 0, TimeSpan.Zero) - _host.Clock.GetUtcNow());
        await _host.Host.Services.GetRequiredService<EscalationScanner>().EscalateAsync(CancellationToken.None);

        var mail = await _host.MailToAsync(await _host.EmailOfAsync(manager), 1);
        Assert.That(mail[0].Subject, Does.Contain("Still at risk").And.Contain("Urgent deal"));
        var escalation = (await _host.DeliveriesAsync($"recipientId={manager}&signal=escalation")).Single();
        Assert.That(escalation.Resolution.Decision, Is.EqualTo("send now: critical, breaks through quiet hours"));
    }

    [Test]
    public async Task Should_roll_risks_into_the_daily_digest_at_the_recipients_local_time()
    {
        var owner = await _host.UserAsync("Dora Digest", zone: "Europe/Berlin");
        await PreferAsync(owner, new { digest = "daily", digestAt = "08:00" });

        await _host.PublishAsync(NotificationsHost.Scored(await _host.OpportunityAsync("Digest deal A", 30_000m, owner), owner, ["stalled"], previousFlags: []));
        await _host.PublishAsync(NotificationsHost.Scored(await _host.OpportunityAsync("Digest deal B", 90_000m, owner), owner, ["slipping"], previousFlags: []));

        var held = await _host.DeliveriesAsync($"recipientId={owner}", d => d.Count == 2, "two held deliveries");
        Assert.That(held.Select(d => (d.HoldReason, d.HeldUntil)),
            Is.All.EqualTo(("digest", (DateTimeOffset?)new DateTimeOffset(2026, 11, 26, 7, 0, 0, TimeSpan.Zero))), "08:00 tomorrow in Berlin");
        _host.Advance(TimeSpan.FromHours(22));
        var digest = (await _host.MailToAsync(await _host.EmailOfAsync(owner), 1)).Single();
        Assert.That(digest.Subject, Does.Contain("2 updates on 2 deals"));
        Assert.That(digest.Text!.IndexOf("Digest deal B", StringComparison.Ordinal), Is.LessThan(digest.Text.IndexOf("Digest deal A", StringComparison.Ordinal)));
    }

    [Test]
    public async Task Should_hold_what_exceeds_the_daily_budget_for_the_digest_and_lose_nothing()
    {
        var owner = await _host.UserAsync("Bea Budget", zone: "UTC");
        await PreferAsync(owner, new { dailyInterruptionBudget = 2 });
        var deals = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var deal = await _host.OpportunityAsync($"Budget deal {i}", 1_000m * (i + 1), owner);
            deals.Add(deal);
            await _host.PublishAsync(NotificationsHost.Scored(deal, owner, ["stalled"], previousFlags: []));
        }

        var deliveries = await _host.DeliveriesAsync($"recipientId={owner}", d => d.Count == 5 && d.Count(x => x.Status == "sent") == 2, "two sent, three held");
        Assert.That(deliveries.Where(d => d.Status == "held").Select(d => (d.HoldReason, d.HeldUntil)),
            Is.All.EqualTo(("budget", (DateTimeOffset?)new DateTimeOffset(2026, 11, 25, 17, 0, 0, TimeSpan.Zero))));
        Assert.That(await _host.ScalarAsync<int>("SELECT used FROM budget_usage WHERE recipient_id = @owner", new { owner }), Is.EqualTo(2));

        _host.Advance(TimeSpan.FromHours(8));
        var mail = await _host.MailToAsync(await _host.EmailOfAsync(owner), 3);
        var digest = mail.Single(m => m.Subject!.Contains("digest", StringComparison.Ordinal));
        Assert.That(digest.Subject, Does.Contain("3 updates on 3 deals"));
        foreach (var deal in deliveries.Where(d => d.Status == "held"))
        {
            Assert.That(digest.Text, Does.Contain($"Budget deal {deals.IndexOf(deal.OpportunityId!)}"));
        }
    }

    [Test]
    public async Task Should_ask_crm_sync_for_a_salesforce_task_when_that_is_the_recipients_channel()
    {
        await using var probe = await QueueProbe<SalesforceTaskRequested>.StartAsync();
        var owner = await _host.UserAsync("Tina Task");
        await PreferAsync(owner, new { channels = new Dictionary<string, string[]> { ["opportunity-risk"] = ["salesforce-task"] } });
        var deal = await _host.OpportunityAsync("Task deal", 40_000m, owner);

        await _host.PublishAsync(NotificationsHost.Scored(deal, owner, ["no-next-step"], previousFlags: []));

        var task = await probe.WaitForAsync(t => t.WhatId == deal, "the task request");
        var delivery = (await _host.DeliveriesAsync($"opportunityId={deal}", d => d.Any(x => x.Status == "sent"), "the delivery")).Single();
        Assert.That((task.Message.OwnerId, task.Message.RequestId, delivery.Channel), Is.EqualTo((owner, delivery.Id.ToString(), "salesforce-task")));
        Assert.That(task.Message.Subject, Does.Contain("Task deal").And.Contain("no next step"));
        Assert.That(await _host.Maildev.Mail.ToAsync(await _host.EmailOfAsync(owner)), Is.Empty);
    }
}
