using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.ServiceDefaults.Data;
using PipelineCoach.Testing;

namespace PipelineCoach.ServiceDefaults.Tests;

/// <summary>
/// The dispatcher resumes each round after the last row it claimed while a backlog drains; a row that commits late
/// with a lower id (its transaction started first) must still be published, not stepped over. A batch row larger than
/// a round is still taken whole, each message with its own MessageId.
/// </summary>
public sealed class When_rows_commit_out_of_order_or_outgrow_a_round() : OutboxFixture("outbox_cursor", new Dictionary<string, string?>
{
    // Small rounds, so the later rows fill whole rounds and the dispatcher moves its cursor past the early row.
    ["Messaging:Outbox:BatchSize"] = "2",
    ["Messaging:Outbox:Dispatchers"] = "1",
})
{
    [Test]
    public async Task A_row_committed_after_later_rows_were_dispatched_is_published_too()
    {
        var units = Host.Services.GetRequiredService<UnitOfWorkFactory>();
        var lateMessageId = Guid.NewGuid();

        // The early transaction takes its id first and commits last.
        await using var early = await units.BeginAsync(CancellationToken.None);
        await early.PublishAsync(Scored.Message(), CancellationToken.None, lateMessageId);

        var later = Enumerable.Range(0, 7).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in later)
        {
            await using var work = await units.BeginAsync(CancellationToken.None);
            await work.PublishAsync(Scored.Message(), CancellationToken.None, id);
            await work.CommitAsync(CancellationToken.None);
        }

        await Eventually.TrueAsync(() => Task.FromResult(Published.HasAll(later)), "the later rows to reach the queue");
        await early.CommitAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(Published.CountOf(lateMessageId) == 1), "the row committed late to reach the queue");

        var ids = await Host.QueryAsync<long>(
            "SELECT id FROM outbox_messages WHERE message_id = ANY(@all) ORDER BY message_id = @lateMessageId DESC, id",
            new { lateMessageId, all = later.Append(lateMessageId).ToArray() });
        Assert.That(ids[0], Is.LessThan(ids.Skip(1).Min()), "the late row has the lowest id, so the cursor had moved past it");
    }

    [Test]
    public async Task Every_message_of_a_batch_row_larger_than_a_round_is_published_with_its_own_message_id()
    {
        var messages = Enumerable.Range(0, 5).Select(_ => (MessageId: Guid.NewGuid(), Message: Scored.Message())).ToList();
        var units = Host.Services.GetRequiredService<UnitOfWorkFactory>();
        await using (var work = await units.BeginAsync(CancellationToken.None))
        {
            await work.PublishManyAsync(messages, CancellationToken.None);
            await work.CommitAsync(CancellationToken.None);
        }

        await Eventually.TrueAsync(
            () => Task.FromResult(messages.All(m => Published.Messages.Any(d => d.MessageId == m.MessageId && d.Message.OpportunityId == m.Message.OpportunityId))),
            "every message of the batch row to arrive with its own MessageId");
        var rows = await Host.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_ids @> @ids AND message_count = 5",
            new { ids = messages.Select(m => m.MessageId).ToArray() });
        var entries = await Host.QueryAsync<Guid>(
            "SELECT message_id FROM outbox_entries WHERE message_id = ANY(@ids)", new { ids = messages.Select(m => m.MessageId).ToArray() });
        Assert.Multiple(() =>
        {
            Assert.That(rows, Is.EqualTo(1), "the five messages were stored as one row");
            Assert.That(entries, Is.EquivalentTo(messages.Select(m => m.MessageId)), "outbox_entries shows each message of the row");
        });
    }
}
