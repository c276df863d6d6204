using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Testing;

namespace PipelineCoach.Sync.Tests.Pull;

/// <summary>Scores written back through sObject Collections, coalesced, retried per record, tagged as our own.</summary>
public sealed class When_scores_are_written_back_to_salesforce
{
    private SalesforceSyncHost _host = null!;
    private readonly ConsumedMessages _consumed = new();

    /// <summary>Scoring's clock: each batch of scores is one second newer than the one before.</summary>
    private readonly FakeTimeProvider _scoredAt = new(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero));

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await SalesforceSyncHost.StartAsync(opportunities: 600, plantProblems: false);
        _host.Sync.Services.GetRequiredService<IBus>().ConnectConsumeObserver(_consumed);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [SetUp]
    public Task ResetFaultsAsync() => _host.Control.DeleteAsync("control/faults");

    private string[] OpportunityIds(int skip, int take) =>
        [.. Enumerable.Range(skip, take).Select(i => _host.Simulator.Org.ReadField("Opportunity", OpportunityId(i), "Id")!)];

    private string OpportunityId(int index) => PipelineCoach.SalesforceSimulator.Generation.SalesforceIds.Create("006", index);

    private async Task QueueAsync(IEnumerable<string> ids, int score)
    {
        var bus = _host.Sync.Services.GetRequiredService<IBus>();
        var messageIds = new List<Guid>();
        _scoredAt.Advance(TimeSpan.FromSeconds(1));
        var scoredAt = _scoredAt.GetUtcNow();
        foreach (var id in ids)
        {
            var messageId = NewId.NextGuid();
            messageIds.Add(messageId);
            await bus.Publish(new OpportunityScored
            {
                OpportunityId = id, SourceVersion = scoredAt, OccurredAt = scoredAt,
                ScorecardId = "proactive-qualification", ScorecardVersion = 1, Score = score, Grade = "B", Flags = ["slipping", "stalled"],
            }, context => context.MessageId = messageId);
        }

        foreach (var messageId in messageIds)
        {
            await _consumed.WaitForAsync(messageId, 1);
        }
    }

    private async Task<int> DrainAsync()
    {
        var calls = 0;
        while ((await _host.ScoreWriter.WriteBatchAsync(CancellationToken.None)).Sent > 0)
        {
            calls++;
        }

        return calls;
    }

    [Test]
    public async Task Should_use_one_api_call_per_200_opportunities_and_coalesce_repeated_scores()
    {
        var ids = OpportunityIds(0, 450);
        await QueueAsync(ids, 41);
        await QueueAsync(ids.Take(100), 77); // rescored before the write: only the newest is written
        var usedBefore = _host.Simulator.ApiUsage.Used;

        var calls = await DrainAsync();

        Assert.That(calls, Is.EqualTo(3));
        Assert.That(_host.Simulator.ApiUsage.Used - usedBefore, Is.EqualTo(3), "450 opportunities → 3 collection calls");
        Assert.That(_host.Simulator.Org.ReadField("Opportunity", ids[0], "Qualification_Score__c"), Is.EqualTo("77"));
        Assert.That(_host.Simulator.Org.ReadField("Opportunity", ids[449], "Qualification_Score__c"), Is.EqualTo("41"));
        Assert.That(_host.Simulator.Org.ReadField("Opportunity", ids[449], "Qualification_Flags__c"), Is.EqualTo("slipping;stalled"));
        Assert.That(await _host.ScalarAsync<long>("SELECT count(*) FROM score_writebacks WHERE status = 'written'"), Is.GreaterThanOrEqualTo(450));
    }

    [Test]
    public async Task Should_retry_only_the_records_that_hit_unable_to_lock_row()
    {
        var ids = OpportunityIds(450, 120);
        await QueueAsync(ids, 63);
        await _host.SetFaultsAsync(new { lockRowShare = 0.3 });

        await _host.ScoreWriter.WriteBatchAsync(CancellationToken.None);
        var retrying = await _host.ScalarAsync<long>("SELECT count(*) FROM score_writebacks WHERE status = 'pending' AND last_error LIKE 'UNABLE_TO_LOCK_ROW%'");
        await _host.Control.DeleteAsync("control/faults");
        await DrainAsync();

        Assert.That(retrying, Is.GreaterThan(0).And.LessThan(120), "some records failed, the rest were written on the first call");
        Assert.That(ids.Select(id => _host.Simulator.Org.ReadField("Opportunity", id, "Qualification_Score__c")), Is.All.EqualTo("63"));
    }

    [Test]
    public async Task Should_tag_its_writes_so_their_echo_is_recognised()
    {
        var id = OpportunityIds(580, 1)[0];
        await QueueAsync([id], 55);
        await DrainAsync();

        var changes = await _host.Control.GetFromJsonAsync<JsonElement>("control/changes");
        var ours = changes.EnumerateArray().Where(c => c.GetProperty("recordId").GetString() == id).ToList();
        Assert.That(ours, Is.Not.Empty);
        Assert.That(ours.Last().GetProperty("changeOrigin").GetString(), Does.Contain("client=pipeline-coach"));
    }
}

/// <summary>Tasks requested by other services are created once per request id.</summary>
public sealed class When_a_salesforce_task_is_requested
{
    [Test]
    public async Task Should_create_the_task_once_even_when_the_request_arrives_twice()
    {
        await using var host = await SalesforceSyncHost.StartAsync(opportunities: 5, plantProblems: false);
        var consumed = new ConsumedMessages();
        var bus = host.Sync.Services.GetRequiredService<IBus>();
        bus.ConnectConsumeObserver(consumed);
        var opportunityId = PipelineCoach.SalesforceSimulator.Generation.SalesforceIds.Create("006", 0);
        var request = new PipelineCoach.Contracts.Notifications.SalesforceTaskRequested
        {
            RequestId = $"follow-up:{opportunityId}:2026-Q4",
            WhatId = opportunityId,
            OwnerId = host.Simulator.Org.UserId(1),
            Subject = "Plan the approach before the pricing call",
            ActivityDate = new DateOnly(2026, 12, 1),
        };

        foreach (var messageId in new[] { NewId.NextGuid(), NewId.NextGuid() })
        {
            await bus.Publish(request, context => context.MessageId = messageId);
            await consumed.WaitForAsync(messageId, 1);
        }

        var taskId = await host.ScalarAsync<string>("SELECT task_id FROM salesforce_tasks WHERE request_id = @RequestId AND status = 'created'", request);
        Assert.That(await host.ScalarAsync<long>("SELECT count(*) FROM salesforce_tasks"), Is.EqualTo(1));
        Assert.That(host.Simulator.Org.ReadField("Task", taskId, "Subject"), Is.EqualTo(request.Subject));
        Assert.That(host.Simulator.Org.ReadField("Task", taskId, "WhatId"), Is.EqualTo(opportunityId));
    }
}
