using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.ServiceDefaults.Webhooks;
using PipelineCoach.Sync;
using PipelineCoach.Testing;
using ScoringProgram = PipelineCoach.Scoring.Program;
using SyncProgram = PipelineCoach.Sync.Program;

namespace PipelineCoach.EndToEnd.Tests;

/// <summary>The walking skeleton across real RabbitMQ and PostgreSQL: webhook → Sync → outbox → broker → Scoring.</summary>
public sealed class When_a_signed_change_event_reaches_sync
{
    private const string OrganizationId = "00D000000000001EAA";
    private ServiceHost<SyncProgram> _sync = null!;
    private ServiceHost<ScoringProgram> _scoring = null!;
    private WebhookSigner _signer = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var secret = StandardWebhooks.NewSecret();
        _signer = new WebhookSigner(secret);
        _scoring = await ServiceHost<ScoringProgram>.StartAsync("scoring");
        _sync = await ServiceHost<SyncProgram>.StartAsync("sync", new Dictionary<string, string?>
        {
            ["Salesforce:OrganizationId"] = OrganizationId,
            ["Webhooks:ChangeEventSecrets:0"] = secret,
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _sync.DisposeAsync();
        await _scoring.DisposeAsync();
    }

    private static string Payload(string id, string transactionKey, DateTimeOffset commit, string stage) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["ChangeEventHeader"] = new Dictionary<string, object?>
        {
            ["entityName"] = "Opportunity",
            ["recordIds"] = new[] { id },
            ["changeType"] = "CREATE",
            ["changeOrigin"] = "com/salesforce/api/rest/62.0;client=salesforce-ui",
            ["transactionKey"] = transactionKey,
            ["sequenceNumber"] = 1,
            ["commitTimestamp"] = commit.ToUnixTimeMilliseconds(),
            ["commitNumber"] = 1,
            ["commitUser"] = "005000000000001AAA",
            ["changedFields"] = Array.Empty<string>(),
        },
        ["Name"] = "Globex renewal",
        ["StageName"] = stage,
        ["OwnerId"] = "005000000000002AAA",
        ["Amount"] = 90000,
        ["CloseDate"] = "2027-03-31",
    });

    private async Task<T> ScoringScalarAsync<T>(string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(_scoring.DatabaseConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? default!;
    }

    [Test]
    public async Task Should_be_readable_from_sync_and_recorded_by_scoring_exactly_once()
    {
        var id = TestIds.New("006");
        var json = Payload(id, Guid.NewGuid().ToString(), TestClock.Now.AddSeconds(-5), "Qualification");

        using var client = _sync.CreateClient();
        using var first = await client.SendAsync(_signer.Request("/webhooks/salesforce/change-events", json));
        using var redelivered = await client.SendAsync(_signer.Request("/webhooks/salesforce/change-events", json));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        Assert.That(redelivered.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var reader = _sync.CreateClient().WithScopes(SyncScopes.Read);
        var mirrored = await reader.GetFromJsonAsync<OpportunitySnapshot>($"/api/v1/opportunities/{id}");
        Assert.That(mirrored!.StageName, Is.EqualTo("Qualification"));

        var stage = await Eventually.ValueAsync(
            () => ScoringScalarAsync<string?>("SELECT stage_name FROM opportunities WHERE id = @id", new { id }),
            value => value is not null,
            "Scoring to record the opportunity");
        Assert.That(stage, Is.EqualTo("Qualification"));

        // A later change proves the pipeline drained past the redelivery; the duplicate must not have been applied.
        var later = Payload(id, Guid.NewGuid().ToString(), TestClock.Now, "Proposal").Replace("\"CREATE\"", "\"UPDATE\"", StringComparison.Ordinal);
        using var update = await client.SendAsync(_signer.Request("/webhooks/salesforce/change-events", later));
        await Eventually.TrueAsync(
            async () => await ScoringScalarAsync<string?>("SELECT stage_name FROM opportunities WHERE id = @id", new { id }) == "Proposal",
            "Scoring to apply the later change");
        Assert.That(await ScoringScalarAsync<long>("SELECT count(*) FROM opportunity_changes WHERE opportunity_id = @id", new { id }), Is.EqualTo(2),
            "one create and one update consumed; the redelivered create was absorbed by Sync");
        Assert.That(await ScoringScalarAsync<long>("SELECT count(*) FROM inbox_messages", new { }), Is.GreaterThanOrEqualTo(2));
    }
}
