using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.ServiceDefaults.Data;
using PipelineCoach.ServiceDefaults.Messaging;
using PipelineCoach.Testing;

namespace PipelineCoach.ServiceDefaults.Tests;

/// <summary>A row that cannot be published is parked after its attempts and never holds up the rows after it.</summary>
public sealed class When_an_outbox_row_cannot_be_published() : OutboxFixture("outbox_parking", new Dictionary<string, string?>
{
    ["Messaging:Outbox:MaxAttempts"] = "3",
    ["Messaging:Outbox:ParkedCountInterval"] = "00:00:00.200",
})
{
    private Task<long> InsertRowAsync(string messageType, string body) =>
        Host.ScalarAsync<long>(
            "INSERT INTO outbox_messages (message_id, message_type, body) VALUES (gen_random_uuid(), @messageType, @body) RETURNING id",
            new { messageType, body });

    private async Task<ParkedState> StateAsync(long id) => (await Host.QueryAsync<ParkedState>(
        "SELECT attempts AS Attempts, last_error AS LastError, parked_at AS ParkedAt, dispatched_at AS DispatchedAt FROM outbox_messages WHERE id = @id",
        new { id })).Single();

    private Task<ParkedState> ParkedAsync(long id) =>
        Eventually.ValueAsync(() => StateAsync(id), state => state.ParkedAt is not null, $"outbox row {id} to be parked");

    [Test]
    public async Task Poison_rows_park_with_their_error_and_the_rows_after_them_are_published()
    {
        var unknownType = await InsertRowAsync("Not.A.Contract, Some.Assembly", "{}");
        var badBody = await InsertRowAsync(Scored.TypeName, """{"score":"not a number"}""");

        var singles = Enumerable.Range(0, 20).Select(_ => (MessageId: Guid.NewGuid(), Message: Scored.Message())).ToList();
        var batch = Enumerable.Range(0, 20).Select(_ => (MessageId: Guid.NewGuid(), Message: Scored.Message())).ToList();
        var units = Host.Services.GetRequiredService<UnitOfWorkFactory>();
        foreach (var (messageId, message) in singles)
        {
            await using var work = await units.BeginAsync(CancellationToken.None);
            await work.PublishAsync(message, CancellationToken.None, messageId);
            await work.CommitAsync(CancellationToken.None);
        }

        await using (var work = await units.BeginAsync(CancellationToken.None))
        {
            await work.PublishManyAsync(batch, CancellationToken.None);
            await work.CommitAsync(CancellationToken.None);
        }

        var good = singles.Concat(batch).Select(m => m.MessageId).ToList();
        await Eventually.TrueAsync(() => Task.FromResult(Published.HasAll(good)), "every good message to reach the queue");
        var unknown = await ParkedAsync(unknownType);
        var bad = await ParkedAsync(badBody);

        Assert.Multiple(() =>
        {
            Assert.That(good.Select(Published.CountOf), Is.All.EqualTo(1), "each good message was delivered once");
            Assert.That(unknown.Attempts, Is.EqualTo(3), "parked after MaxAttempts");
            Assert.That(unknown.LastError, Does.Contain("not a Pipeline Coach contract"));
            Assert.That(unknown.DispatchedAt, Is.Null);
            Assert.That(bad.Attempts, Is.EqualTo(3));
            Assert.That(bad.LastError, Is.Not.Null.And.Not.Empty);
        });

        // Other tests of this fixture park rows too: the gauge shows every parked message of the service.
        var parkedNow = await Host.ScalarAsync<long>("SELECT sum(message_count) FROM outbox_messages WHERE parked_at IS NOT NULL");
        Assert.That(parkedNow, Is.GreaterThanOrEqualTo(2));
        var expected = parkedNow.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var metrics = await Eventually.ValueAsync(
            () => Host.Http.GetStringAsync("/metrics"),
            text => PrometheusText.ValueOf(text, "outbox_messages_parked", "outbox-parking") == expected,
            $"the parked gauge to show {parkedNow} messages");
        Assert.That(PrometheusText.ValueOf(metrics, "outbox_messages_parked", "outbox-parking"), Is.EqualTo(expected));
    }

    [Test]
    public async Task A_batch_row_that_fails_in_part_publishes_its_good_messages_and_parks()
    {
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        var bodies = ids.Select(_ => JsonSerializer.Serialize(Scored.Message(), new JsonSerializerOptions(JsonSerializerDefaults.Web))).ToArray();
        bodies[2] = """{"opportunityId":"006000000000000AAA","score":"not a number"}""";
        var row = await Host.ScalarAsync<long>(
            """
            INSERT INTO outbox_messages (message_id, message_type, body, message_ids, message_count)
            VALUES (gen_random_uuid(), @type, @body, @ids, 5) RETURNING id
            """,
            new { type = Scored.TypeName, body = $"[{string.Join(',', bodies)}]", ids });

        var state = await ParkedAsync(row);
        var good = ids.Where((_, i) => i != 2).ToList();
        await Eventually.TrueAsync(() => Task.FromResult(Published.HasAll(good)), "the four good messages to reach the queue");
        Assert.Multiple(() =>
        {
            Assert.That(state.LastError, Does.Contain("#3 of outbox row"), "the error names the bad message");
            Assert.That(Published.CountOf(ids[2]), Is.Zero, "the bad message was never published");
            Assert.That(good.Select(Published.CountOf), Is.All.GreaterThanOrEqualTo(1), "the good ones were, each with its own MessageId");
        });
    }

    [Test]
    public async Task An_admin_lists_and_requeues_parked_rows_and_nobody_else_can()
    {
        var id = await InsertRowAsync("Still.Not.A.Contract, Some.Assembly", "{}");
        var first = await ParkedAsync(id);

        using var anonymous = await Host.Http.GetAsync(new Uri("/api/v1/admin/outbox/parked", UriKind.Relative));
        using var reader = new HttpClient { BaseAddress = Host.Http.BaseAddress }.WithScopes(DefaultsHost.ReadScope);
        using var forbidden = await reader.GetAsync(new Uri("/api/v1/admin/outbox/parked", UriKind.Relative));
        using var admin = new HttpClient { BaseAddress = Host.Http.BaseAddress }.WithScopes(DefaultsHost.AdminScope);
        var page = await admin.GetFromJsonAsync<ParkedOutboxPage>("/api/v1/admin/outbox/parked?limit=500");
        using var badLimit = await admin.GetAsync(new Uri("/api/v1/admin/outbox/parked?limit=0", UriKind.Relative));
        using var missing = await admin.PostAsync(new Uri("/api/v1/admin/outbox/parked/999999999/requeue", UriKind.Relative), null);

        Assert.Multiple(() =>
        {
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(page!.Items.Select(r => r.Id), Does.Contain(id));
            Assert.That(page.Items.Single(r => r.Id == id).LastError, Does.Contain("not a Pipeline Coach contract"));
            Assert.That(badLimit.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });

        using var requeue = await admin.PostAsync(new Uri($"/api/v1/admin/outbox/parked/{id}/requeue", UriKind.Relative), null);
        Assert.That((await requeue.Content.ReadFromJsonAsync<OutboxRequeueResult>())!.Requeued, Is.EqualTo(1));
        // Requeued, it is dispatched again with fresh attempts, fails again and parks again later.
        var again = await Eventually.ValueAsync(
            () => StateAsync(id), state => state.ParkedAt > first.ParkedAt, "the requeued row to be tried again and parked again");
        Assert.That(again.Attempts, Is.EqualTo(3));
    }

    [Test]
    public async Task The_outbox_command_lists_and_requeues_parked_rows()
    {
        var id = await InsertRowAsync("Yet.Another.Non.Contract, Some.Assembly", "{}");
        await ParkedAsync(id);

        var listed = await RunCommandAsync("outbox", "parked");
        var requeued = await RunCommandAsync("outbox", "requeue", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var unknown = await RunCommandAsync("outbox", "requeue", "999999999");
        var usage = await RunCommandAsync("outbox", "frobnicate");

        Assert.Multiple(() =>
        {
            Assert.That(listed.Output, Does.Contain($"{id}\tYet.Another.Non.Contract"));
            Assert.That(listed.Code, Is.Zero);
            Assert.That(requeued.Output, Does.Contain($"requeued row {id}"));
            Assert.That(unknown.Code, Is.EqualTo(1));
            Assert.That(usage.Code, Is.EqualTo(2));
            Assert.That(usage.Output, Does.StartWith("usage: outbox"));
        });
    }

    private async Task<(int Code, string Output)> RunCommandAsync(params string[] args)
    {
        var original = Console.Out;
        await using var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            var code = await Host.App.RunServiceAsync(args);
            return (code, output.ToString());
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    private sealed record ParkedState(int Attempts, string? LastError, DateTime? ParkedAt, DateTime? DispatchedAt);
}
