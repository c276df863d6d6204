using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.ServiceDefaults.Data;
using PipelineCoach.ServiceDefaults.Messaging;
using PipelineCoach.Testing;

namespace PipelineCoach.ServiceDefaults.Tests;

/// <summary>
/// Dispatch loops share the outbox: rows one claim holds are passed over by the next claim, not waited for; and every
/// write path wakes the dispatcher itself. Polling is set to ten minutes here, so only a wake-up publishes anything.
/// </summary>
public sealed class When_dispatch_loops_share_the_outbox() : OutboxFixture("outbox_dispatch", new Dictionary<string, string?>
{
    ["Messaging:Outbox:BatchSize"] = "5",
    ["Messaging:Outbox:Dispatchers"] = "2",
    ["Messaging:Outbox:PollInterval"] = "00:10:00",
})
{
    private UnitOfWorkFactory Units => Host.Services.GetRequiredService<UnitOfWorkFactory>();

    private Task<long> PendingAsync() =>
        Host.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE dispatched_at IS NULL AND parked_at IS NULL");

    [Test]
    public async Task Every_write_path_wakes_the_dispatcher_without_help()
    {
        var single = Guid.NewGuid();
        var many = Enumerable.Range(0, 3).Select(_ => (MessageId: Guid.NewGuid(), Message: Scored.Message())).ToList();
        var batch = new OutboxBatch();
        batch.Add(Scored.Message());

        await using (var work = await Units.BeginAsync(CancellationToken.None))
        {
            await work.PublishAsync(Scored.Message(), CancellationToken.None, single);
            await work.CommitAsync(CancellationToken.None);
        }

        await Eventually.TrueAsync(() => Task.FromResult(Published.CountOf(single) == 1), "PublishAsync's message");

        await using (var work = await Units.BeginAsync(CancellationToken.None))
        {
            await work.PublishManyAsync(many, CancellationToken.None);
            await work.CommitAsync(CancellationToken.None);
        }

        await Eventually.TrueAsync(() => Task.FromResult(Published.HasAll(many.Select(m => m.MessageId))), "PublishManyAsync's messages");

        var before = Published.Messages.Count;
        await using (var work = await Units.BeginAsync(CancellationToken.None))
        {
            await batch.WriteAsync(work, CancellationToken.None);
            await work.CommitAsync(CancellationToken.None);
        }

        await Eventually.TrueAsync(() => Task.FromResult(Published.Messages.Count > before), "OutboxBatch's message");
        await Eventually.TrueAsync(async () => await PendingAsync() == 0, "no row left for a poll that comes only in ten minutes");
    }

    [Test]
    public async Task Rows_another_claim_holds_do_not_stop_the_next_claim()
    {
        // Let both loops settle into waiting: a woken loop publishes and goes back to sleep.
        var settle = Guid.NewGuid();
        await using (var work = await Units.BeginAsync(CancellationToken.None))
        {
            await work.PublishAsync(Scored.Message(), CancellationToken.None, settle);
            await work.CommitAsync(CancellationToken.None);
        }

        await Eventually.TrueAsync(async () => Published.CountOf(settle) == 1 && await PendingAsync() == 0, "the settling message");

        // Ten committed rows, written behind the dispatcher's back (no wake-up).
        var ids = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToArray();
        var rowIds = new List<long>();
        foreach (var id in ids)
        {
            rowIds.Add(await Host.ScalarAsync<long>(
                "INSERT INTO outbox_messages (message_id, message_type, body) VALUES (@id, @type, @body) RETURNING id",
                new { id, type = Scored.TypeName, body = System.Text.Json.JsonSerializer.Serialize(Scored.Message(), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)) }));
        }

        // The first five, a whole batch, are held as another loop's claim would hold them (stuck on confirms).
        await using var holder = new NpgsqlConnection(Host.ConnectionString);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var lockRows = new NpgsqlCommand("SELECT id FROM outbox_messages WHERE id = ANY(@ids) FOR UPDATE", holder, hold))
        {
            lockRows.Parameters.AddWithValue("ids", rowIds.Take(5).ToArray());
            await lockRows.ExecuteNonQueryAsync();
        }

        Host.Services.GetRequiredService<OutboxSignal>().Notify();
        await Eventually.TrueAsync(() => Task.FromResult(Published.HasAll(ids.Skip(5))), "the five rows nobody holds to be published");
        Assert.That(ids.Take(5).Select(Published.CountOf), Is.All.Zero, "the held rows wait for their holder");

        await hold.RollbackAsync();
        Host.Services.GetRequiredService<OutboxSignal>().Notify();
        await Eventually.TrueAsync(() => Task.FromResult(Published.HasAll(ids)), "the released rows to be published");
        Assert.That(ids.Select(Published.CountOf), Is.All.EqualTo(1), "each row was published once");
    }

    [Test]
    public async Task Two_loops_publish_every_message_exactly_once()
    {
        var singles = Enumerable.Range(0, 300).Select(_ => Guid.NewGuid()).ToList();
        var many = Enumerable.Range(0, 700).Select(_ => (MessageId: Guid.NewGuid(), Message: Scored.Message())).ToList();
        await Task.WhenAll(singles.Chunk(30).Select(async chunk =>
        {
            foreach (var id in chunk)
            {
                await using var work = await Units.BeginAsync(CancellationToken.None);
                await work.PublishAsync(Scored.Message(), CancellationToken.None, id);
                await work.CommitAsync(CancellationToken.None);
            }
        }));
        foreach (var chunk in many.Chunk(7))
        {
            await using var work = await Units.BeginAsync(CancellationToken.None);
            await work.PublishManyAsync(chunk, CancellationToken.None);
            await work.CommitAsync(CancellationToken.None);
        }

        var all = singles.Concat(many.Select(m => m.MessageId)).ToList();
        await Eventually.TrueAsync(() => Task.FromResult(Published.HasAll(all)), "all 1,000 messages to reach the queue");
        await Eventually.TrueAsync(async () => await PendingAsync() == 0, "every row to be marked dispatched");
        Assert.That(all.Select(Published.CountOf), Is.All.EqualTo(1), "no message was published twice");
    }
}
