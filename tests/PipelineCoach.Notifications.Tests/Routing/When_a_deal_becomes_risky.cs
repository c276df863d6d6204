using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Notifications.Escalations;
using PipelineCoach.Notifications.Tests.Channels.Webhooks;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Routing;

/// <summary>OpportunityScored with a newly raised flag reaches the deal's owner by email, once, and escalates while it stays raised.</summary>
public sealed class When_a_deal_becomes_risky
{
    private NotificationsHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await NotificationsHost.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task Should_email_the_owner_naming_the_deal_and_the_risk()
    {
        var manager = await _host.UserAsync("Maria Manager");
        var owner = await _host.UserAsync("Rita Rep", manager);
        var deal = await _host.OpportunityAsync("Acme renewal", 120_000m, owner);

        await _host.PublishAsync(NotificationsHost.Scored(deal, owner, ["slipping"], previousFlags: []));

        var mail = await _host.MailToAsync(await _host.EmailOfAsync(owner), 1);
        Assert.That(mail[0].Subject, Does.Contain("Acme renewal").And.Contain("close date slipping"));
        Assert.That(mail[0].Html, Does.Contain("$120,000"));
        var delivery = (await _host.DeliveriesAsync($"opportunityId={deal}", d => d.Any(x => x.Status == "sent"), "the risk to be sent")).Single();
        Assert.That((delivery.RecipientId, delivery.Channel, delivery.Signal, delivery.Attempts), Is.EqualTo((owner, "email", "opportunity-risk", 1)));
        Assert.That(delivery.Resolution.Why, Is.EqualTo("owner of the opportunity"));
        Assert.That(delivery.Resolution.Chain, Is.EqualTo(new[] { owner, manager }));
        Assert.That(delivery.BusinessKey, Is.EqualTo($"opportunity-risk:{deal}/slipping:2026-11-25"));
    }

    [Test]
    public async Task Should_announce_a_deal_that_arrives_already_risky()
    {
        var owner = await _host.UserAsync("Rita Rep");
        var deal = await _host.OpportunityAsync("Globex expansion", 80_000m, owner);

        await _host.PublishAsync(NotificationsHost.Scored(deal, owner, ["single-threaded"]));

        var mail = await _host.MailToAsync(await _host.EmailOfAsync(owner), 1);
        Assert.That(mail[0].Subject, Does.Contain("Globex expansion"));
    }

    [Test]
    public async Task Should_announce_nothing_when_no_flag_is_new_and_the_grade_held()
    {
        var owner = await _host.UserAsync("Rita Rep");
        var deal = await _host.OpportunityAsync("Initech", 10_000m, owner);

        await _host.PublishAsync(NotificationsHost.Scored(deal, owner, ["slipping"], previousFlags: ["slipping", "stalled"]));

        Assert.That(await _host.DeliveriesAsync($"opportunityId={deal}"), Is.Empty);
        Assert.That(await _host.ScalarAsync<long>("SELECT count(*) FROM signals WHERE opportunity_id = @deal", new { deal }), Is.Zero);
    }

    [Test]
    public async Task Should_announce_the_same_risk_once_across_duplicates_two_instances_and_a_restart()
    {
        var owner = await _host.UserAsync("Rita Rep");
        var deal = await _host.OpportunityAsync("Umbrella", 50_000m, owner);
        var risk = NotificationsHost.Scored(deal, owner, ["stalled"], previousFlags: []);
        var second = await _host.StartInstanceAsync();

        // The same risk as separate messages (a re-score elsewhere, a replay), taken by either instance.
        await _host.PublishAsync(risk);
        await _host.PublishAsync(risk with { OccurredAt = TestClock.Now.AddMinutes(1) }, second);
        await _host.PublishAsync(risk, second);
        var first = _host.Host;
        await _host.StopAsync(first);
        await _host.StartInstanceAsync();
        await _host.PublishAsync(risk with { OccurredAt = TestClock.Now.AddMinutes(2) });

        var email = await _host.EmailOfAsync(owner);
        await _host.MailToAsync(email, 1);
        var deliveries = await _host.DeliveriesAsync($"opportunityId={deal}", d => d.All(x => x.Status == "sent"), "the risk to be sent");
        Assert.That(deliveries, Has.Count.EqualTo(1));
        Assert.That(await _host.Maildev.Mail.ToAsync(email), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Should_roll_bulk_initial_load_risks_into_one_digest_ordered_by_amount_times_risk()
    {
        var owner = await _host.UserAsync("Rita Rep", zone: "America/New_York");
        var small = await _host.OpportunityAsync("Small deal", 5_000m, owner);
        var large = await _host.OpportunityAsync("Large deal", 500_000m, owner);
        var middle = await _host.OpportunityAsync("Middle deal", 60_000m, owner);
        foreach (var deal in new[] { small, large, middle })
        {
            await _host.PublishAsync(NotificationsHost.Scored(deal, owner, ["stale-activity"], cause: ScoreCause.InitialLoad));
        }

        var held = await _host.DeliveriesAsync($"recipientId={owner}", d => d.Count == 3, "three held deliveries");
        Assert.That(held.Select(d => (d.Status, d.HoldReason)), Is.All.EqualTo(("held", "bulk")));
        Assert.That(held.Select(d => d.HeldUntil), Is.All.EqualTo(new DateTimeOffset(2026, 11, 25, 22, 0, 0, TimeSpan.Zero)), "17:00 in New York, the end of the owner's day");

        _host.Advance(TimeSpan.FromHours(12.5));
        var digest = (await _host.MailToAsync(await _host.EmailOfAsync(owner), 1)).Single();
        Assert.That(digest.Subject, Does.Contain("3 updates on 3 deals"));
        var text = digest.Text!;
        Assert.That(text.IndexOf("Large deal", StringComparison.Ordinal), Is.LessThan(text.IndexOf("Middle deal", StringComparison.Ordinal)));
        Assert.That(text.IndexOf("Middle deal", StringComparison.Ordinal), Is.LessThan(text.IndexOf("Small deal", StringComparison.Ordinal)));
        var after = await _host.DeliveriesAsync($"recipientId={owner}", d => d.Any(x => x.Signal == "digest" && x.Status == "sent"), "the digest to be sent");
        Assert.That(after.Where(d => d.Signal != "digest").Select(d => d.Status), Is.All.EqualTo("digested"));
        Assert.That(after.Where(d => d.Signal != "digest").Select(d => d.DigestId).Distinct().Single(), Is.EqualTo(after.Single(d => d.Signal == "digest").Id));
    }

    [Test]
    public async Task Should_escalate_to_the_manager_then_the_managers_manager_after_24_business_hours_each()
    {
        var director = await _host.UserAsync("Dana Director", zone: "Europe/Berlin");
        var manager = await _host.UserAsync("Maria Manager", director, zone: "Europe/Berlin");
        var owner = await _host.UserAsync("Rita Rep", manager, zone: "Europe/Berlin");
        var deal = await _host.OpportunityAsync("Stark upgrade", 90_000m, owner);
        await _host.PublishAsync(NotificationsHost.Scored(deal, owner, ["slipping"], previousFlags: []));
        var scanner = _host.Host.Services.GetRequiredService<EscalationScanner>();

        // Raised Wednesday 10:30 in Berlin: 22.5 business hours by Friday 17:00, so the first level is due Monday 10:30.
        _host.Advance(new DateTimeOffset(2026, 11, 30, 9, 29, 0, TimeSpan.Zero) - _host.Clock.GetUtcNow());
        Assert.That(await scanner.EscalateAsync(CancellationToken.None), Is.Zero, "not yet due a minute before Monday 10:30 Berlin");
        _host.Advance(TimeSpan.FromMinutes(1));
        var toManager = await _host.MailToAsync(await _host.EmailOfAsync(manager), 1);
        Assert.That(toManager[0].Subject, Does.Contain("Still at risk after 24 business hours").And.Contain("Stark upgrade"));
        Assert.That(await _host.Maildev.Mail.ToAsync(await _host.EmailOfAsync(director)), Is.Empty);

        // Another 24 business hours in Berlin from Monday 10:30: Thursday 10:30.
        _host.Advance(new DateTimeOffset(2026, 12, 3, 9, 30, 0, TimeSpan.Zero) - _host.Clock.GetUtcNow());
        var toDirector = await _host.MailToAsync(await _host.EmailOfAsync(director), 1);
        Assert.That(toDirector[0].Subject, Does.Contain("Still at risk after 48 business hours"));
        var escalations = await _host.DeliveriesAsync("signal=escalation", d => d.Count(x => x.OpportunityId == deal) == 2, "two escalations");
        Assert.That(escalations.Where(d => d.OpportunityId == deal).Select(d => d.Resolution.Why),
            Is.EquivalentTo(new[] { "manager of the owner (escalation level 1)", "manager's manager of the owner (escalation level 2)" }));

        _host.Advance(TimeSpan.FromDays(7));
        Assert.That(await scanner.EscalateAsync(CancellationToken.None), Is.Zero, "two levels and no more");
    }

    [Test]
    public async Task Should_stop_escalating_a_risk_once_it_clears()
    {
        var manager = await _host.UserAsync("Maria Manager", zone: "UTC");
        var owner = await _host.UserAsync("Rita Rep", manager, zone: "UTC");
        var deal = await _host.OpportunityAsync("Wayne logistics", 30_000m, owner);
        await _host.PublishAsync(NotificationsHost.Scored(deal, owner, ["stalled"], previousFlags: []));
        await _host.PublishAsync(NotificationsHost.Scored(deal, owner, [], previousFlags: ["stalled"]) with { OccurredAt = TestClock.Now.AddHours(1) });

        _host.Advance(TimeSpan.FromDays(10));
        Assert.That(await _host.Host.Services.GetRequiredService<EscalationScanner>().EscalateAsync(CancellationToken.None), Is.Zero);
        Assert.That(await _host.DeliveriesAsync("signal=escalation"), Has.None.Matches<PipelineCoach.Notifications.Deliveries.DeliveryView>(d => d.OpportunityId == deal));
    }

    [Test]
    public async Task Should_retry_a_failing_webhook_on_the_svix_ladder_with_the_same_webhook_id()
    {
        await using var receiver = await LocalReceiver.StartAsync();
        var endpointId = (await _host.CreateEndpointAsync(receiver.Url, "opportunity-risk"))["id"]!.GetValue<Guid>();
        var owner = await _host.UserAsync("Rita Rep");
        var deal = await _host.OpportunityAsync("Hooli", 70_000m, owner);
        receiver.AnswerWith(503);

        await _host.PublishAsync(NotificationsHost.Scored(deal, owner, ["slipping"], previousFlags: []));
        await Eventually.TrueAsync(() => receiver.Requests.Count >= 1, "the first attempt");
        var delivery = (await _host.DeliveriesAsync($"opportunityId={deal}", d => d.Any(x => x.Channel == "webhook" && x.Attempts == 1), "attempt 1 recorded"))
            .Single(d => d.Channel == "webhook");
        Assert.That((delivery.Status, delivery.TargetId, delivery.NextAttemptAt), Is.EqualTo(("queued", (Guid?)endpointId, (DateTimeOffset?)TestClock.Now.AddSeconds(5))));
        Assert.That(delivery.LastError, Does.Contain("503"));

        _host.Advance(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => receiver.Requests.Count >= 2, "the second attempt, 5 s later");
        await _host.DeliveriesAsync($"opportunityId={deal}", d => d.Any(x => x.Channel == "webhook" && x.Attempts == 2), "attempt 2 recorded");
        receiver.AnswerWith(204);
        _host.Advance(TimeSpan.FromMinutes(5));
        await _host.DeliveriesAsync($"opportunityId={deal}", d => d.Any(x => x.Channel == "webhook" && x.Status == "sent"), "attempt 3 to succeed");

        Assert.That(receiver.Requests, Has.Count.EqualTo(3));
        Assert.That(receiver.Requests.Select(r => r.Id).Distinct().Single(), Is.EqualTo($"msg_{delivery.Id:N}"));
        Assert.That(receiver.Requests.Select(r => Convert.ToBase64String(r.Body)).Distinct().Count(), Is.EqualTo(1), "the same body on every attempt");
    }

    [Test]
    public async Task Should_start_no_escalation_clock_for_risks_found_by_bulk_work()
    {
        var manager = await _host.UserAsync("Maria Manager", zone: "UTC");
        var owner = await _host.UserAsync("Rita Rep", manager, zone: "UTC");
        var deal = await _host.OpportunityAsync("Loaded deal", 10_000m, owner);

        await _host.PublishAsync(NotificationsHost.Scored(deal, owner, ["stalled"], cause: ScoreCause.InitialLoad));

        Assert.That(await _host.ScalarAsync<long>("SELECT count(*) FROM signals WHERE opportunity_id = @deal", new { deal }), Is.EqualTo(1));
        Assert.That(await _host.ScalarAsync<long>("SELECT count(*) FROM open_risks WHERE opportunity_id = @deal", new { deal }), Is.Zero);
    }
}
