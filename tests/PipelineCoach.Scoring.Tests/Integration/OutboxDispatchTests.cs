using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.ServiceDefaults.Data;
using PipelineCoach.Testing;

namespace PipelineCoach.Scoring.Tests.Integration;

/// <summary>
/// The outbox dispatcher resumes each round after the last row it sent while a backlog drains; a row that commits
/// late with a lower id (its transaction started first) must still be published, not stepped over.
/// </summary>
public sealed class When_an_outbox_row_commits_after_later_rows_were_dispatched
{
    private ScoringHost _scoring = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _scoring = await ScoringHost.StartAsync(new Dictionary<string, string?>
    {
        // Small batches, so the later rows fill whole batches and the dispatcher moves its cursor past the early row.
        ["Messaging:Outbox:BatchSize"] = "2",
        ["Messaging:Outbox:Dispatchers"] = "1",
    });

    [OneTimeTearDown]
    public async Task StopAsync() => await _scoring.DisposeAsync();

    private static OpportunityScored Scored(string opportunityId) => new()
    {
        OpportunityId = opportunityId,
        SourceVersion = DateTimeOffset.UtcNow,
        OccurredAt = DateTimeOffset.UtcNow,
        ScorecardId = "proactive-qualification",
        ScorecardVersion = 1,
        Score = 50,
        Grade = "C",
        Flags = [],
        PreviousFlags = [],
        Changes = ["test"],
    };

    [Test]
    public async Task The_late_row_is_published_too()
    {
        var units = _scoring.Host.Services.GetRequiredService<UnitOfWorkFactory>();
        var late = TestIds.New("006");
        var lateMessageId = Guid.NewGuid();

        // The early transaction takes its id first and commits last.
        await using var early = await units.BeginAsync(CancellationToken.None);
        await early.PublishAsync(Scored(late), CancellationToken.None, lateMessageId);

        var later = Enumerable.Range(0, 7).Select(_ => TestIds.New("006")).ToList();
        foreach (var id in later)
        {
            await using var work = await units.BeginAsync(CancellationToken.None);
            await work.PublishAsync(Scored(id), CancellationToken.None);
            await work.CommitAsync(CancellationToken.None);
        }

        await Eventually.TrueAsync(async () => (await _scoring.QueryAsync<long>(
                "SELECT count(*) FROM outbox_messages WHERE dispatched_at IS NOT NULL AND body::jsonb->>'opportunityId' = ANY(@later)",
                new { later = later.ToArray() })).Single() == later.Count,
            "the later rows to be dispatched");

        await early.CommitAsync(CancellationToken.None);

        await Eventually.TrueAsync(async () => (await _scoring.QueryAsync<long>(
                "SELECT count(*) FROM outbox_messages WHERE dispatched_at IS NOT NULL AND message_id = @lateMessageId",
                new { lateMessageId })).Single() == 1,
            "the row committed late to be dispatched");
        var ids = await _scoring.QueryAsync<long>(
            "SELECT id FROM outbox_messages WHERE message_id = @lateMessageId OR body::jsonb->>'opportunityId' = ANY(@later) ORDER BY message_id = @lateMessageId DESC, id",
            new { lateMessageId, later = later.ToArray() });
        Assert.That(ids[0], Is.LessThan(ids.Skip(1).Min()), "the late row has the lowest id, so the cursor had moved past it");
    }

    [Test]
    public async Task Every_message_of_a_batch_row_is_published_with_its_own_message_id()
    {
        var received = new ConcurrentDictionary<Guid, string>();
        var listener = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(_scoring.Host.Settings["Messaging:RabbitMqUri"]!));
            rabbit.Message<OpportunityScored>(m => m.SetEntityName(OpportunityScored.MessageName));
            rabbit.ReceiveEndpoint($"outbox-batch-test-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Handler<OpportunityScored>(context =>
                {
                    received[context.MessageId!.Value] = context.Message.OpportunityId;
                    return Task.CompletedTask;
                });
            });
        });
        await listener.StartAsync();
        try
        {
            // Five messages in one row, more than the dispatcher's batch of two: the row is still taken whole.
            var messages = Enumerable.Range(0, 5).Select(_ => (MessageId: Guid.NewGuid(), Message: Scored(TestIds.New("006")))).ToList();
            var units = _scoring.Host.Services.GetRequiredService<UnitOfWorkFactory>();
            await using (var work = await units.BeginAsync(CancellationToken.None))
            {
                await work.PublishManyAsync(messages, CancellationToken.None);
                await work.CommitAsync(CancellationToken.None);
            }

            await Eventually.TrueAsync(
                () => Task.FromResult(messages.All(m => received.TryGetValue(m.MessageId, out var id) && id == m.Message.OpportunityId)),
                "every message of the batch row to arrive with its own MessageId");
            var rows = await _scoring.QueryAsync<long>(
                "SELECT count(*) FROM outbox_messages WHERE message_ids @> @ids AND message_count = 5 AND dispatched_at IS NOT NULL",
                new { ids = messages.Select(m => m.MessageId).ToArray() });
            Assert.That(rows.Single(), Is.EqualTo(1), "the five messages were stored as one row, now marked dispatched");
            var entries = await _scoring.QueryAsync<Guid>(
                "SELECT message_id FROM outbox_entries WHERE message_id = ANY(@ids)", new { ids = messages.Select(m => m.MessageId).ToArray() });
            Assert.That(entries, Is.EquivalentTo(messages.Select(m => m.MessageId)), "outbox_entries shows each message of the row");
        }
        finally
        {
            await listener.StopAsync();
        }
    }
}
