using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Testing;

namespace PipelineCoach.Scoring.Tests.Integration;

/// <summary>Scoring's consumers over real RabbitMQ and PostgreSQL: idempotent, version-checked.</summary>
public sealed class When_scoring_receives_opportunity_messages
{
    private ServiceHost<Program> _scoring = null!;
    private IBus _bus = null!;
    private readonly ConsumedMessages _received = new();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _scoring = await ServiceHost<Program>.StartAsync("scoring");
        _bus = _scoring.Services.GetRequiredService<IBus>();
        _bus.ConnectReceiveObserver(_received);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _scoring.DisposeAsync();

    private static OpportunityChanged Changed(string id, DateTimeOffset version, string stage) => new()
    {
        OpportunityId = id,
        OrganizationId = "00D000000000001EAA",
        SourceVersion = version,
        OccurredAt = version,
        Source = "webhook",
        ChangeType = "UPDATE",
        ChangedFields = ["StageName"],
        Opportunity = new OpportunitySnapshot { Id = id, StageName = stage, OwnerId = "005000000000002AAA" },
    };

    private async Task<T> ScalarAsync<T>(string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(_scoring.DatabaseConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? default!;
    }

    private async Task PublishAndWaitAsync<T>(T message, Guid messageId) where T : class
    {
        var before = _received.Count(messageId);
        await _bus.Publish(message, context => context.MessageId = messageId);
        await _received.WaitForAsync(messageId, before + 1);
    }

    [Test]
    public async Task Should_apply_a_redelivered_message_once()
    {
        var id = TestIds.New("006");
        var messageId = NewId.NextGuid();
        var message = Changed(id, TestClock.Now, "Qualification");

        await PublishAndWaitAsync(message, messageId);
        await PublishAndWaitAsync(message, messageId);

        Assert.That(_received.Count(messageId), Is.EqualTo(2), "the broker delivered it twice");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM opportunity_changes WHERE opportunity_id = @id", new { id }), Is.EqualTo(1));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE message_id = @messageId", new { messageId }), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_keep_the_newest_snapshot_when_messages_arrive_out_of_order()
    {
        var id = TestIds.New("006");
        var now = TestClock.Now;
        await PublishAndWaitAsync(Changed(id, now, "Negotiation"), NewId.NextGuid());
        await PublishAndWaitAsync(Changed(id, now.AddMinutes(-5), "Prospecting"), NewId.NextGuid());

        Assert.That(await ScalarAsync<string>("SELECT stage_name FROM opportunities WHERE id = @id", new { id }), Is.EqualTo("Negotiation"));
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM opportunity_changes WHERE opportunity_id = @id AND NOT applied", new { id }), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_mark_deleted_opportunities_and_ignore_older_changes_after_the_delete()
    {
        var id = TestIds.New("006");
        var now = TestClock.Now;
        await PublishAndWaitAsync(Changed(id, now, "Proposal"), NewId.NextGuid());
        await PublishAndWaitAsync(new OpportunityDeleted { OpportunityId = id, OrganizationId = "00D000000000001EAA", SourceVersion = now.AddMinutes(1), OccurredAt = now.AddMinutes(1), Source = "webhook" }, NewId.NextGuid());
        await PublishAndWaitAsync(Changed(id, now.AddSeconds(30), "Negotiation"), NewId.NextGuid());

        Assert.That(await ScalarAsync<bool>("SELECT is_deleted FROM opportunities WHERE id = @id", new { id }), Is.True);
        Assert.That(await ScalarAsync<string>("SELECT stage_name FROM opportunities WHERE id = @id", new { id }), Is.EqualTo("Proposal"));
    }

    [Test]
    public async Task Should_report_ready()
    {
        using var client = _scoring.CreateClient();
        var body = await Eventually.ValueAsync(
            async () => await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync(),
            text => text.Contains("\"status\":\"Healthy\"", StringComparison.Ordinal), "Scoring to become ready");
        Assert.That(body, Does.Contain("postgresql").And.Contain("masstransit"));
    }
}
