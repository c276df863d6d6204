using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Sync.Salesforce;
using PipelineCoach.Sync.WriteBack;
using PipelineCoach.Testing;

namespace PipelineCoach.Sync.Tests.Pull;

/// <summary>
/// Write-back claims its batch with a lease and calls Salesforce outside any transaction. The simulator runs on a fake
/// clock, so its slow-response fault makes a call hang until the test moves that clock.
/// </summary>
public sealed class When_a_write_back_call_hangs
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _simulatorTime = new(Start);
    private readonly ConsumedMessages _consumed = new();
    private SalesforceSyncHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await SalesforceSyncHost.StartAsync(opportunities: 60, plantProblems: false, simulatorTime: _simulatorTime);
        _host.Sync.Services.GetRequiredService<IBus>().ConnectConsumeObserver(_consumed);
        // Fetch the access token now, so that under the slow-response fault only the call under test waits.
        await _host.Sync.Services.GetRequiredService<ISalesforceApi>().LimitsAsync(CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [TearDown]
    public Task ResetFaultsAsync() => _host.Control.DeleteAsync("control/faults");

    private string[] OpportunityIds(int skip, int take) =>
        [.. Enumerable.Range(skip, take).Select(i => _host.Simulator.Org.ReadField("Opportunity", PipelineCoach.SalesforceSimulator.Generation.SalesforceIds.Create("006", i), "Id")!)];

    private async Task QueueAsync(IEnumerable<string> ids, int score, DateTimeOffset scoredAt)
    {
        var bus = _host.Sync.Services.GetRequiredService<IBus>();
        var messageIds = new List<Guid>();
        foreach (var id in ids)
        {
            var messageId = NewId.NextGuid();
            messageIds.Add(messageId);
            await bus.Publish(new OpportunityScored
            {
                OpportunityId = id, SourceVersion = scoredAt, OccurredAt = scoredAt,
                ScorecardId = "proactive-qualification", ScorecardVersion = 1, Score = score, Grade = "B", Flags = ["stalled"],
            }, context => context.MessageId = messageId);
        }

        foreach (var messageId in messageIds)
        {
            await _consumed.WaitForAsync(messageId, 1);
        }
    }

    private Task<long> CountAsync(string sql, object parameters) => _host.ScalarAsync<long>(sql, parameters);

    /// <summary>Moves the simulator's clock past the hang until the call has returned.</summary>
    private async Task<T> ReleaseAsync<T>(Task<T> call)
    {
        await Eventually.TrueAsync(() =>
        {
            _simulatorTime.Advance(Hang);
            return Task.FromResult(call.IsCompleted);
        }, "the hanging Salesforce call to return");
        return await call;
    }

    [Test]
    public async Task Should_let_score_upserts_for_the_same_opportunities_commit_and_keep_the_newer_score()
    {
        var ids = OpportunityIds(0, 20);
        await QueueAsync(ids, 41, Start);
        await _host.SetFaultsAsync(new { responseDelayMs = (int)Hang.TotalMilliseconds });

        var writing = _host.ScoreWriter.WriteBatchAsync(CancellationToken.None);
        await Eventually.TrueAsync(async () => await CountAsync(
            "SELECT count(*) FROM score_writebacks WHERE opportunity_id = ANY(@ids::bpchar[]) AND claimed_by IS NOT NULL", new { ids }) == ids.Length,
            "the batch to be claimed");

        // The call hangs; newer scores for five of the claimed opportunities are consumed (their upserts commit) meanwhile.
        await QueueAsync(ids.Take(5), 77, Start.AddMinutes(1));
        Assert.That(writing.IsCompleted, Is.False, "the Salesforce call is still hanging while the scores were stored");
        Assert.That(await CountAsync("SELECT count(*) FROM score_writebacks WHERE opportunity_id = ANY(@ids::bpchar[]) AND score = 77",
            new { ids = ids.Take(5).ToArray() }), Is.EqualTo(5));

        var result = await ReleaseAsync(writing);
        await _host.Control.DeleteAsync("control/faults");

        Assert.Multiple(async () =>
        {
            Assert.That(result.Sent, Is.EqualTo(20));
            Assert.That(await CountAsync("SELECT count(*) FROM score_writebacks WHERE opportunity_id = ANY(@ids::bpchar[]) AND status = 'written' AND claimed_by IS NULL",
                new { ids = ids.Skip(5).ToArray() }), Is.EqualTo(15), "the outcome is recorded once the call returned");
            Assert.That(await CountAsync("SELECT count(*) FROM score_writebacks WHERE opportunity_id = ANY(@ids::bpchar[]) AND status = 'pending' AND score = 77 AND claimed_by IS NULL",
                new { ids = ids.Take(5).ToArray() }), Is.EqualTo(5), "the newer scores are not marked written by the older call");
        });

        while ((await _host.ScoreWriter.WriteBatchAsync(CancellationToken.None)).Sent > 0)
        {
        }

        Assert.That(ids.Take(5).Select(id => _host.Simulator.Org.ReadField("Opportunity", id, "Qualification_Score__c")), Is.All.EqualTo("77"));
        Assert.That(ids.Skip(5).Select(id => _host.Simulator.Org.ReadField("Opportunity", id, "Qualification_Score__c")), Is.All.EqualTo("41"));
    }

    [Test]
    public async Task Should_leave_a_live_claim_alone_and_take_it_once_the_lease_has_expired()
    {
        var ids = OpportunityIds(30, 10);
        await QueueAsync(ids, 63, Start);
        // A writer that died while its call was under way: its claim on these rows lasts one lease from Start.
        var options = _host.Sync.Services.GetRequiredService<IOptions<WriteBackOptions>>();
        var dead = Guid.NewGuid();
        await using (var connection = new NpgsqlConnection(_host.Sync.DatabaseConnectionString))
        {
            await connection.ExecuteAsync(
                "UPDATE score_writebacks SET next_attempt_at = @start, claimed_by = @dead, lease_until = @until WHERE opportunity_id = ANY(@ids::bpchar[])",
                new { ids, start = Start, dead, until = Start + options.Value.LeaseDuration });
        }

        var clock = new FakeTimeProvider(Start);
        var writer = new ScoreWriter(_host.Sync.Services.GetRequiredService<NpgsqlDataSource>(),
            _host.Sync.Services.GetRequiredService<ISalesforceApi>(), options, clock);
        clock.Advance(options.Value.LeaseDuration - TimeSpan.FromSeconds(1));
        await writer.WriteBatchAsync(CancellationToken.None);
        Assert.That(await CountAsync("SELECT count(*) FROM score_writebacks WHERE opportunity_id = ANY(@ids::bpchar[]) AND claimed_by = @dead", new { ids, dead }),
            Is.EqualTo(ids.Length), "a claim within its lease is not taken");

        clock.Advance(TimeSpan.FromSeconds(2));
        while ((await writer.WriteBatchAsync(CancellationToken.None)).Sent > 0)
        {
        }

        Assert.That(await CountAsync("SELECT count(*) FROM score_writebacks WHERE opportunity_id = ANY(@ids::bpchar[]) AND status = 'written' AND claimed_by IS NULL", new { ids }),
            Is.EqualTo(ids.Length), "the expired claim was taken and written");
        Assert.That(ids.Select(id => _host.Simulator.Org.ReadField("Opportunity", id, "Qualification_Score__c")), Is.All.EqualTo("63"));
    }
}
