using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Testing;

namespace PipelineCoach.Scoring.Tests.Integration;

/// <summary>
/// Ties of the "newer source version wins" rule over real RabbitMQ and PostgreSQL: of two snapshots with one version,
/// the one delivered later stands, in the read model and in the scores, whether they come in one batch or two.
/// </summary>
public sealed class When_the_same_source_version_arrives_twice
{
    private static readonly DateTimeOffset Version = new(2026, 11, 2, 9, 30, 0, 125, TimeSpan.Zero);

    private ServiceHost<Program> _scoring = null!;
    private IBus _bus = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // One batch at a time, held open long enough that messages published back to back share it.
        _scoring = await ServiceHost<Program>.StartAsync("scoring", new Dictionary<string, string?>
        {
            ["Scoring:ConsumerConcurrency"] = "1",
            ["Scoring:ConsumerBatchTimeLimit"] = "00:00:01",
        });
        _bus = _scoring.Services.GetRequiredService<IBus>();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _scoring.DisposeAsync();

    private static OpportunityChanged Changed(string id, string stage, bool executivePriority = false) => new()
    {
        OpportunityId = id,
        OrganizationId = "00D000000000001EAA",
        SourceVersion = Version,
        OccurredAt = Version,
        Source = "webhook",
        ChangeType = "UPDATE",
        ChangedFields = ["StageName"],
        Opportunity = new OpportunitySnapshot
        {
            Id = id,
            StageName = stage,
            OwnerId = "005000000000002AAA",
            // Meets "Tied to an executive priority" (20 points), so the score differs.
            CustomFields = executivePriority
                ? new Dictionary<string, string?> { ["Economic_Buyer__c"] = "Dana (CFO)", ["Identified_Pain__c"] = "Churn" }
                : new Dictionary<string, string?>(),
        },
    };

    private async Task<T> ScalarAsync<T>(string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(_scoring.DatabaseConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? default!;
    }

    private Task PublishAsync(OpportunityChanged message, Guid messageId) =>
        _bus.Publish(message, context => context.MessageId = messageId);

    /// <summary>Waits until Scoring has recorded <paramref name="count"/> changes of the opportunity (scores are written in the same transaction).</summary>
    private Task ConsumedAsync(string id, long count) =>
        Eventually.TrueAsync(
            async () => await ScalarAsync<long>("SELECT count(*) FROM opportunity_changes WHERE opportunity_id = @id", new { id }) == count,
            $"{count} changes of {id} to be consumed");

    private Task<bool> AppliedAsync(Guid messageId) =>
        ScalarAsync<bool>("SELECT applied FROM opportunity_changes WHERE message_id = @messageId", new { messageId });

    [Test]
    public async Task Should_apply_the_later_content_delivered_at_the_same_version()
    {
        var id = TestIds.New("006");
        var (first, second) = (NewId.NextGuid(), NewId.NextGuid());
        await PublishAsync(Changed(id, "Qualification"), first);
        await ConsumedAsync(id, 1);
        await PublishAsync(Changed(id, "Needs Analysis", executivePriority: true), second);
        await ConsumedAsync(id, 2);

        Assert.That(await ScalarAsync<string>("SELECT stage_name FROM opportunities WHERE id = @id", new { id }), Is.EqualTo("Needs Analysis"));
        Assert.That(await AppliedAsync(first), Is.True);
        Assert.That(await AppliedAsync(second), Is.True);
        // The executive priority raises the score, so the tie reached the scores too: scored once per content.
        Assert.That(await ScalarAsync<long>(
            "SELECT count(*) FROM score_history WHERE opportunity_id = @id::bpchar AND scorecard_id = 'proactive-qualification' AND kind = 'scored'",
            new { id }), Is.EqualTo(2));
    }

    [Test]
    public async Task Should_change_nothing_when_the_same_snapshot_comes_again()
    {
        var id = TestIds.New("006");
        var (first, second) = (NewId.NextGuid(), NewId.NextGuid());
        await PublishAsync(Changed(id, "Qualification"), first);
        await ConsumedAsync(id, 1);
        await PublishAsync(Changed(id, "Qualification"), second);
        await ConsumedAsync(id, 2);

        Assert.That(await AppliedAsync(second), Is.True, "an equal version is applied");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM score_history WHERE opportunity_id = @id::bpchar", new { id }), Is.EqualTo(1),
            "an unchanged score is neither recorded nor published again");
    }

    [Test]
    public async Task Should_let_the_later_message_of_a_batch_win_a_tie()
    {
        var id = TestIds.New("006");
        var (first, second) = (NewId.NextGuid(), NewId.NextGuid());
        await PublishAsync(Changed(id, "Qualification"), first);
        await PublishAsync(Changed(id, "Needs Analysis", executivePriority: true), second);
        await ConsumedAsync(id, 2);

        Assert.That(await ScalarAsync<string>("SELECT stage_name FROM opportunities WHERE id = @id", new { id }), Is.EqualTo("Needs Analysis"));
        Assert.That(await AppliedAsync(second), Is.True);
    }

    [TestCase(-1)]
    [TestCase(0)]
    [TestCase(1)]
    public async Task Should_decide_in_sql_as_in_code(int incomingMinusStoredMilliseconds)
    {
        var incoming = Version.AddMilliseconds(incomingMinusStoredMilliseconds);

        var inSql = await ScalarAsync<bool>($"SELECT {SourceVersionRule.Sql("@stored", "@incoming")}", new { stored = Version, incoming });

        Assert.That(inSql, Is.EqualTo(SourceVersionRule.Replaces(incoming, Version)));
        Assert.That(inSql, Is.EqualTo(incomingMinusStoredMilliseconds >= 0), "a tie applies");
    }
}
