using PipelineCoach.Contracts.Cadence;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Notifications.Tests.Preferences;
using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.Tests.Routing;

/// <summary>Pipeline health reaches the rep and the manager (or the manager and theirs); a due cadence brings its agenda; a missed one reaches the manager.</summary>
public sealed class When_health_and_routines_are_announced
{
    private NotificationsHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await NotificationsHost.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task Should_tell_the_rep_and_their_manager_when_a_reps_health_is_raised_and_nobody_when_it_clears()
    {
        var director = await _host.UserAsync("Dana Director");
        var manager = await _host.UserAsync("Maria Manager", director);
        var rep = await _host.UserAsync("Rita Rep", manager);
        PipelineHealthChanged Health(bool raised) => new()
        {
            BusinessKey = $"coverage-below-target:{rep}:2026-Q4", SubjectKind = "rep", SubjectId = rep, Period = "2026-Q4",
            Condition = "coverage-below-target", IsRaised = raised, Value = 1.8m, Threshold = 3m, OccurredAt = TestClock.Now,
        };

        await _host.PublishAsync(Health(raised: true));
        await _host.PublishAsync(Health(raised: false));

        var repMail = await _host.MailToAsync(await _host.EmailOfAsync(rep), 1);
        await _host.MailToAsync(await _host.EmailOfAsync(manager), 1);
        Assert.That(repMail[0].Subject, Does.Contain("Rita Rep").And.Contain("pipeline coverage below target"));
        var deliveries = await _host.DeliveriesAsync("signal=pipeline-health", d => d.Count(x => x.Status == "sent") >= 2, "both sent");
        var ours = deliveries.Where(d => d.BusinessKey.Contains(rep, StringComparison.Ordinal)).ToList();
        Assert.That(ours.Select(d => (d.RecipientId, d.Resolution.Why)), Is.EquivalentTo(new[] { (rep, "the rep"), (manager, "manager of the rep") }));
        Assert.That(await _host.Maildev.Mail.ToAsync(await _host.EmailOfAsync(director)), Is.Empty);
    }

    [Test]
    public async Task Should_tell_the_manager_and_the_managers_manager_about_a_team()
    {
        var director = await _host.UserAsync("Dana Director");
        var manager = await _host.UserAsync("Maria Manager", director);

        await _host.PublishAsync(new PipelineHealthChanged
        {
            BusinessKey = $"inflow-dried-up:{manager}:2026-Q4", SubjectKind = "team", SubjectId = manager, Period = "2026-Q4",
            Condition = "inflow-dried-up", IsRaised = true, Value = 0, Threshold = 5, OccurredAt = TestClock.Now,
        });

        var toDirector = await _host.MailToAsync(await _host.EmailOfAsync(director), 1);
        Assert.That(toDirector[0].Subject, Does.Contain("Maria Manager's team").And.Contain("new pipeline has dried up"));
        await _host.MailToAsync(await _host.EmailOfAsync(manager), 1);
    }

    [Test]
    public async Task Should_send_the_agenda_to_the_assignee_and_participants_listing_the_deals_by_name()
    {
        var manager = await _host.UserAsync("Maria Manager");
        var rep = await _host.UserAsync("Rita Rep", manager);
        var occurrence = Guid.NewGuid().ToString();

        await _host.PublishAsync(new CadenceOccurrenceDue
        {
            OccurrenceId = occurrence, CadenceId = Guid.NewGuid().ToString(), Kind = "weekly-pipeline-review", AssigneeId = manager,
            ScheduledAt = TestClock.Now.AddHours(1), CadenceName = "Weekly pipeline review — West", ParticipantIds = [rep, manager],
            LocalStart = "2026-11-25T05:30:00", TimeZone = "America/New_York",
            Sections =
            [
                new AgendaSection
                {
                    Code = "new-risks", Title = "New risks",
                    Items = [new AgendaItem { Why = "Close date pushed out twice", OpportunityId = TestIds.New("006"), OpportunityName = "Acme renewal", Amount = 120_000m, OwnerName = "Rita Rep", Code = "slipping" }],
                },
                new AgendaSection
                {
                    Code = "next-steps-due", Title = "Next steps due",
                    Items = [new AgendaItem { Why = "Next step due today", OpportunityName = "Globex expansion", OwnerName = "Rita Rep" }],
                },
            ],
        });

        var agenda = (await _host.MailToAsync(await _host.EmailOfAsync(manager), 1)).Single();
        Assert.That(agenda.Subject, Does.Contain("Weekly pipeline review — West").And.Contain("Wednesday 25 November, 05:30 America/New_York"));
        Assert.That(agenda.Text, Does.Contain("Acme renewal").And.Contain("Globex expansion").And.Contain("New risks").And.Contain("Close date pushed out twice"));
        await _host.MailToAsync(await _host.EmailOfAsync(rep), 1);
        var deliveries = await _host.DeliveriesAsync("signal=cadence-due", d => d.Count(x => x.BusinessKey.Contains(occurrence, StringComparison.Ordinal)) == 2, "two deliveries");
        Assert.That(deliveries.Where(d => d.BusinessKey.Contains(occurrence, StringComparison.Ordinal)).Select(d => d.Resolution.Why),
            Is.EquivalentTo(new[] { "assignee of the cadence", "participant" }));
    }

    [Test]
    public async Task Should_tell_the_assignees_manager_about_a_missed_occurrence()
    {
        var director = await _host.UserAsync("Dana Director");
        var manager = await _host.UserAsync("Maria Manager", director);

        await _host.PublishAsync(new CadenceOccurrenceMissed
        {
            OccurrenceId = Guid.NewGuid().ToString(), CadenceId = Guid.NewGuid().ToString(), Kind = "daily-huddle", AssigneeId = manager,
            ScheduledAt = TestClock.Now.AddDays(-1), OccurredAt = TestClock.Now, CadenceName = "Daily huddle — West", DueBy = TestClock.Now.AddHours(-1),
        });

        var mail = (await _host.MailToAsync(await _host.EmailOfAsync(director), 1)).Single();
        Assert.That(mail.Subject, Does.Contain("Missed: Daily huddle — West (Maria Manager)"));
        Assert.That(await _host.Maildev.Mail.ToAsync(await _host.EmailOfAsync(manager)), Is.Empty);
    }

    [Test]
    public async Task Should_reach_org_wide_and_team_subscribers_but_not_another_teams()
    {
        var manager = await _host.UserAsync("Maria Manager");
        var rep = await _host.UserAsync("Rita Rep", manager);
        var otherManager = await _host.UserAsync("Olga Other");
        var analyst = await _host.UserAsync("Ann Analyst");
        var coach = await _host.UserAsync("Carl Coach");
        var outsider = await _host.UserAsync("Otto Outsider");
        foreach (var (subscriber, scope) in new[] { (analyst, (string?)null), (coach, manager), (outsider, otherManager) })
        {
            await _host.SubscribeAsync(subscriber, "pipeline-health", scope);
        }

        await _host.PublishAsync(new PipelineHealthChanged
        {
            BusinessKey = $"tunnel-vision:{rep}:2026-Q4", SubjectKind = "rep", SubjectId = rep, Period = "2026-Q4",
            Condition = "tunnel-vision", IsRaised = true, Value = 0.8m, Threshold = 0.6m, OccurredAt = TestClock.Now,
        });

        var deliveries = await _host.DeliveriesAsync("signal=pipeline-health", d => d.Count(x => x.BusinessKey.Contains(rep, StringComparison.Ordinal) && x.Status == "sent") == 4, "four sent");
        Assert.That(deliveries.Where(d => d.BusinessKey.Contains(rep, StringComparison.Ordinal)).Select(d => (d.RecipientId, d.Resolution.Why)), Is.EquivalentTo(new[]
        {
            (rep, "the rep"), (manager, "manager of the rep"), (analyst, "subscriber (whole org)"), (coach, $"subscriber (team of {manager})"),
        }));
        Assert.That(await _host.DeliveriesAsync($"recipientId={outsider}"), Is.Empty);
    }
}
