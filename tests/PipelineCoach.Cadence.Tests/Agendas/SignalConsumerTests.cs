using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests.Agendas;

/// <summary>OpportunityScored and PipelineHealthChanged kept in the agenda read model: duplicates and older versions change nothing.</summary>
public sealed class When_scores_and_health_changes_arrive
{
    private CadenceAgendaHost _cadence = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cadence = await CadenceAgendaHost.StartAsync<Program>(null);

    [OneTimeTearDown]
    public async Task StopAsync() => await _cadence.DisposeAsync();

    [TearDown]
    public void NoConsumerFaults() => Assert.That(_cadence.Received.Faults, Is.Empty, "consumer exceptions");

    private static OpportunityScored Scored(string id, DateTimeOffset version, DateTimeOffset at, string[] flags, string[] previous, params string[] changes) => new()
    {
        OpportunityId = id, OwnerId = "005000000000000ANA", SourceVersion = version, OccurredAt = at, ScorecardId = "proactive-qualification",
        ScorecardVersion = 1, Score = 40 + flags.Length, Grade = "C", Flags = flags, PreviousFlags = previous, Changes = changes,
    };

    private Task<IReadOnlyList<(string Flag, DateTime RaisedAt, string? Reason)>> FlagsAsync(string id) =>
        _cadence.QueryAsync<(string, DateTime, string?)>("SELECT flag, raised_at, reason FROM opportunity_flags WHERE opportunity_id = @id ORDER BY flag", new { id });

    [Test]
    public async Task Should_keep_when_each_flag_was_raised_and_drop_cleared_ones()
    {
        var id = TestIds.New("006");
        var t0 = TestClock.Now;
        await _cadence.PublishAndWaitAsync(Scored(id, t0, t0, ["slipping"], [], "first score: 41 (grade C)", "flag 'slipping' raised: close date pushed 3 times"));
        await _cadence.PublishAndWaitAsync(Scored(id, t0.AddHours(1), t0.AddHours(1), ["slipping", "stalled"], ["slipping"], "flag 'stalled' raised: 120 days in Needs Analysis"));

        var flags = await FlagsAsync(id);
        Assert.That(flags, Is.EqualTo(new[]
        {
            ("slipping", t0.UtcDateTime, (string?)"close date pushed 3 times"),
            ("stalled", t0.AddHours(1).UtcDateTime, (string?)"120 days in Needs Analysis"),
        }), "a flag still raised keeps the time it was first raised");

        await _cadence.PublishAndWaitAsync(Scored(id, t0.AddHours(2), t0.AddHours(2), ["stalled"], ["slipping", "stalled"], "flag 'slipping' cleared"));
        Assert.That((await FlagsAsync(id)).Select(f => f.Flag), Is.EqualTo(new[] { "stalled" }));
        Assert.That(await _cadence.QueryAsync<string>("SELECT grade || ':' || score FROM opportunity_scores WHERE opportunity_id = @id", new { id }), Is.EqualTo(new[] { "C:41" }));
    }

    [Test]
    public async Task Should_take_each_flags_reason_from_the_flag_reasons_of_the_score()
    {
        var id = TestIds.New("006");
        var t0 = TestClock.Now;
        await _cadence.PublishAndWaitAsync(Scored(id, t0, t0, ["slipping"], [], "Slipping: close date pushed out 3 times, across 2 quarter ends (150 days in all).") with
        {
            FlagReasons = new Dictionary<string, string> { ["slipping"] = "Slipping: close date pushed out 3 times, across 2 quarter ends (150 days in all)." },
        });

        Assert.That((await FlagsAsync(id)).Single().Reason, Is.EqualTo("Slipping: close date pushed out 3 times, across 2 quarter ends (150 days in all)."));
    }

    [Test]
    public async Task Should_ignore_duplicates_and_older_versions()
    {
        var id = TestIds.New("006");
        var t0 = TestClock.Now;
        var first = await _cadence.PublishAndWaitAsync(Scored(id, t0, t0, ["stalled"], [], "flag 'stalled' raised: 50 days"));
        await _cadence.PublishAndWaitAsync(Scored(id, t0.AddHours(1), t0.AddHours(1), [], ["stalled"], "flag 'stalled' cleared"));

        // The first message again (a redelivery), then an older score computed late: neither brings the flag back.
        await _cadence.PublishAndWaitAsync(Scored(id, t0, t0, ["stalled"], [], "flag 'stalled' raised: 50 days"), first);
        await _cadence.PublishAndWaitAsync(Scored(id, t0.AddMinutes(30), t0.AddMinutes(30), ["stalled", "slipping"], ["stalled"]));

        Assert.That(await FlagsAsync(id), Is.Empty);
        Assert.That(await _cadence.QueryAsync<DateTime>("SELECT occurred_at FROM opportunity_scores WHERE opportunity_id = @id", new { id }),
            Is.EqualTo(new[] { t0.AddHours(1).UtcDateTime }));

        // Same source version, computed later (a manager override or a rescoring): newer, so it applies.
        await _cadence.PublishAndWaitAsync(Scored(id, t0.AddHours(1), t0.AddHours(3), ["premature-presentation"], []));
        Assert.That((await FlagsAsync(id)).Select(f => f.Flag), Is.EqualTo(new[] { "premature-presentation" }));
    }

    [Test]
    public async Task Should_keep_the_latest_state_of_each_health_condition()
    {
        var rep = TestIds.New("005");
        var key = $"coverage-below-target:rep:{rep}:2026-Q4";
        PipelineHealthChanged Change(bool raised, DateTimeOffset at, decimal value) => new()
        {
            BusinessKey = key, SubjectKind = "rep", SubjectId = rep, Period = "2026-Q4", Condition = "coverage-below-target",
            IsRaised = raised, Value = value, Threshold = 3, OccurredAt = at, Reason = $"coverage {value}×",
        };

        var raised = await _cadence.PublishAndWaitAsync(Change(true, TestClock.Now, 1.2m));
        await _cadence.PublishAndWaitAsync(Change(false, TestClock.Now.AddDays(1), 3.4m));
        await _cadence.PublishAndWaitAsync(Change(true, TestClock.Now, 1.2m), raised);
        await _cadence.PublishAndWaitAsync(Change(true, TestClock.Now.AddHours(5), 2.0m));

        var rows = await _cadence.QueryAsync<(bool IsRaised, decimal Value, string Reason)>(
            "SELECT is_raised, value, reason FROM health_conditions WHERE subject_id = @rep", new { rep });
        Assert.That(rows, Is.EqualTo(new[] { (false, 3.4m, "coverage 3.4×") }));
    }
}
