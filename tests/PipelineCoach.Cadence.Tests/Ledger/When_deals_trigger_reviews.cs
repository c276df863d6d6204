using Dapper;
using Npgsql;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Contracts.Cadence;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests.Ledger;

/// <summary>Event-driven reviews: created from OpportunityChanged, deduplicated, due within business days, retired when the deal closes.</summary>
public sealed class When_deals_trigger_reviews
{
    private const string Manager = "005000000000E01AAA";
    private const string Rep = "005000000000E02AAA";
    private const string Loner = "005000000000E03AAA";

    private static int _sequence;

    [Test]
    public async Task Should_create_one_strategy_review_for_a_large_new_deal_due_within_three_business_days()
    {
        var clock = TestClock.Start(); // Wednesday 2026-11-25 09:30Z
        await using var probe = await QueueProbe<CadenceOccurrenceDue>.StartAsync();
        await using var cadence = await StartWithTeamAsync(clock);
        await SetHolidaysAsync(cadence, new DateOnly(2026, 11, 26)); // Thanksgiving
        var strategy = await cadence.AddCadenceAsync(new CadenceDefinition { Kind = CadenceKinds.OpportunityStrategyReview }, clock.GetUtcNow());

        var deal = NextId();
        var created = Change(deal, "CREATE", "Prospecting", 80_000, clock.GetUtcNow());
        await cadence.PublishAsync(created);
        var due = await probe.WaitForAsync(m => m.OpportunityId == deal, "the strategy review to come due");

        Assert.That(due.Message.Kind, Is.EqualTo(CadenceKinds.OpportunityStrategyReview));
        Assert.That(due.Message.AssigneeId, Is.EqualTo(Manager), "the owner's manager holds the review");
        Assert.That(due.Message.ParticipantIds, Is.EqualTo(new[] { Rep }), "the owner takes part");
        // Wednesday in New York; Thursday is a holiday: Friday, Monday, Tuesday → due by the end of Tuesday, New York time.
        Assert.That(due.Message.DueBy, Is.EqualTo(new DateTimeOffset(2026, 12, 2, 5, 0, 0, TimeSpan.Zero)));
        Assert.That(due.Message.TimeZone, Is.EqualTo("America/New_York"));

        // The same change delivered again, a later edit, and entering Qualification while the review is pending: still one.
        await cadence.PublishAsync(created);
        await cadence.PublishAsync(Change(deal, "UPDATE", "Prospecting", 90_000, clock.GetUtcNow().AddMinutes(1)));
        await cadence.PublishAsync(Change(deal, "UPDATE", "Qualification", 90_000, clock.GetUtcNow().AddMinutes(2)));
        await WaitForStageAsync(cadence, deal, "Qualification");
        var rows = await cadence.OccurrencesAsync(strategy);
        Assert.That(rows, Has.Count.EqualTo(1));
        Assert.That(rows[0].Status, Is.EqualTo("due"));

        // Closing the deal retires the pending review.
        await cadence.PublishAsync(Change(deal, "UPDATE", "Closed Won", 90_000, clock.GetUtcNow().AddMinutes(3), closed: true));
        var retired = await Eventually.ValueAsync(() => cadence.OccurrencesAsync(strategy), r => r[0].Status == "retired", "the review to be retired");
        Assert.That(retired[0].StatusReason, Is.EqualTo("opportunity-closed"));
        Assert.That(probe.Matching(m => m.OpportunityId == deal), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Should_fire_stage_reviews_on_entering_their_stage_and_respect_the_minimum_amount()
    {
        var clock = TestClock.Start();
        await using var probe = await QueueProbe<CadenceOccurrenceDue>.StartAsync();
        await using var cadence = await StartWithTeamAsync(clock);
        var strategy = await cadence.AddCadenceAsync(new CadenceDefinition { Kind = CadenceKinds.OpportunityStrategyReview }, clock.GetUtcNow());
        var prePresentation = await cadence.AddCadenceAsync(new CadenceDefinition { Kind = CadenceKinds.PrePresentationReview }, clock.GetUtcNow());
        var negotiation = await cadence.AddCadenceAsync(new CadenceDefinition { Kind = CadenceKinds.NegotiationPreparation }, clock.GetUtcNow());

        var small = NextId();
        var large = NextId();
        var loaded = NextId();
        // Small deal created early: under the strategy review's 50,000 minimum.
        await cadence.PublishAsync(Change(small, "CREATE", "Qualification", 20_000, clock.GetUtcNow()));
        // Deals already in the mirror (the initial load) trigger nothing; then one moves into Perception Analysis
        // (before the proposal stage) and on into Proposal/Price Quote (before negotiation).
        await cadence.PublishAsync(Change(large, "SNAPSHOT", "Id. Decision Makers", 250_000, clock.GetUtcNow(), source: "initial-load"));
        await cadence.PublishAsync(Change(loaded, "SNAPSHOT", "Prospecting", 500_000, clock.GetUtcNow(), source: "initial-load"));
        await WaitForStageAsync(cadence, large, "Id. Decision Makers");
        await cadence.PublishAsync(Change(large, "UPDATE", "Perception Analysis", 250_000, clock.GetUtcNow().AddMinutes(1)));
        await probe.WaitForAsync(m => m.OpportunityId == large && m.Kind == CadenceKinds.PrePresentationReview, "the pre-presentation review");
        await cadence.PublishAsync(Change(large, "UPDATE", "Proposal/Price Quote", 250_000, clock.GetUtcNow().AddMinutes(2)));
        await probe.WaitForAsync(m => m.OpportunityId == large && m.Kind == CadenceKinds.NegotiationPreparation, "the negotiation preparation");
        await WaitForStageAsync(cadence, small, "Qualification");
        await WaitForStageAsync(cadence, loaded, "Prospecting");

        Assert.That(await cadence.OccurrencesAsync(strategy), Is.Empty, "a small deal and already-loaded deals get no strategy review");
        Assert.That((await cadence.OccurrencesAsync(prePresentation)).Select(o => o.OpportunityId), Is.EqualTo(new[] { large }));
        Assert.That((await cadence.OccurrencesAsync(negotiation)).Select(o => o.OpportunityId), Is.EqualTo(new[] { large }));
    }

    [Test]
    public async Task Should_retire_pending_reviews_of_a_deleted_deal_and_limit_a_team_rule_to_its_team()
    {
        var clock = TestClock.Start();
        await using var probe = await QueueProbe<CadenceOccurrenceDue>.StartAsync();
        await using var cadence = await StartWithTeamAsync(clock);
        var teamRule = await cadence.AddCadenceAsync(new CadenceDefinition
        {
            Kind = CadenceKinds.OpportunityStrategyReview,
            Target = new TargetSpec(TargetSpec.Team, ManagerId: Manager),
        }, clock.GetUtcNow());

        var teamDeal = NextId();
        var otherDeal = NextId();
        await cadence.PublishAsync(Change(otherDeal, "CREATE", "Prospecting", 100_000, clock.GetUtcNow(), owner: Loner));
        await cadence.PublishAsync(Change(teamDeal, "CREATE", "Prospecting", 100_000, clock.GetUtcNow()));
        await probe.WaitForAsync(m => m.OpportunityId == teamDeal, "the team deal's review");
        await WaitForStageAsync(cadence, otherDeal, "Prospecting");
        var rows = await cadence.OccurrencesAsync(teamRule);
        Assert.That(rows.Select(r => r.OpportunityId), Is.EqualTo(new[] { teamDeal }), "a deal outside the manager's team is not theirs to review");

        await cadence.PublishAsync(new OpportunityDeleted
        {
            OpportunityId = teamDeal, OrganizationId = LedgerHost.Organization, SourceVersion = clock.GetUtcNow().AddMinutes(5),
            OccurredAt = clock.GetUtcNow().AddMinutes(5), Source = "webhook",
        });
        var retired = await Eventually.ValueAsync(() => cadence.OccurrencesAsync(teamRule), r => r[0].Status == "retired", "the review to be retired");
        Assert.That(retired[0].StatusReason, Is.EqualTo("opportunity-deleted"));
    }

    private static async Task<LedgerHost> StartWithTeamAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider clock)
    {
        var cadence = await LedgerHost.StartAsync(clock);
        await cadence.AddUsersAsync(
            LedgerHost.User(Manager, null, "America/New_York", clock.GetUtcNow()),
            LedgerHost.User(Rep, Manager, "America/Chicago", clock.GetUtcNow()),
            LedgerHost.User(Loner, null, "Europe/Paris", clock.GetUtcNow()));
        return cadence;
    }

    private static async Task SetHolidaysAsync(LedgerHost cadence, params DateOnly[] days)
    {
        await using var connection = new NpgsqlConnection(cadence.ConnectionString);
        await connection.ExecuteAsync("INSERT INTO holidays (day) SELECT unnest(@days)", new { days = days.Select(d => d.ToDateTime(TimeOnly.MinValue)).ToArray() });
    }

    private static async Task WaitForStageAsync(LedgerHost cadence, string opportunityId, string stage) =>
        await Eventually.TrueAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(cadence.ConnectionString);
            return await connection.ExecuteScalarAsync<string?>("SELECT stage FROM opportunities WHERE opportunity_id = @opportunityId", new { opportunityId }) == stage;
        }, $"Cadence to store {opportunityId} in {stage}");

    private static string NextId() => $"006000000{Interlocked.Increment(ref _sequence):D6}AAA";

    private static OpportunityChanged Change(string id, string changeType, string stage, decimal amount, DateTimeOffset version,
        bool closed = false, string owner = Rep, string source = "webhook") => new()
    {
        OpportunityId = id,
        OrganizationId = LedgerHost.Organization,
        SourceVersion = version,
        OccurredAt = version,
        Source = source,
        ChangeType = changeType,
        ChangedFields = changeType == "UPDATE" ? ["StageName"] : [],
        Opportunity = new OpportunitySnapshot
        {
            Id = id,
            Name = $"Deal {id[^7..]}",
            OwnerId = owner,
            StageName = stage,
            Amount = amount,
            IsClosed = closed,
            IsWon = closed,
            CloseDate = DateOnly.FromDateTime(version.UtcDateTime).AddDays(60),
            CreatedDate = version,
        },
    };
}
