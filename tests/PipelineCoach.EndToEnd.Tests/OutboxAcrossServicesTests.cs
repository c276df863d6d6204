using System.Net;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.ServiceDefaults.Webhooks;
using PipelineCoach.Testing;
using ScoringProgram = PipelineCoach.Scoring.Program;
using SyncProgram = PipelineCoach.Sync.Program;

namespace PipelineCoach.EndToEnd.Tests;

/// <summary>
/// The outbox between Sync and Scoring, as an operator meets it: a poison row in Sync's outbox parks and is counted
/// while everything posted after it is scored; a webhook's trace id reaches Scoring's consumer.
/// </summary>
public sealed class When_sync_publishes_through_its_outbox
{
    private const string OrganizationId = "00D000000000001EAA";
    private static readonly DateTimeOffset Commit = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);
    private ServiceHost<SyncProgram> _sync = null!;
    private ServiceHost<ScoringProgram> _scoring = null!;
    private WebhookSigner _signer = null!;
    private readonly ConsumedMessages _scoringReceived = new();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var secret = StandardWebhooks.NewSecret();
        _signer = new WebhookSigner(secret);
        _scoring = await ServiceHost<ScoringProgram>.StartAsync("outbox_scoring");
        _scoring.Services.GetRequiredService<IBus>().ConnectReceiveObserver(_scoringReceived);
        _sync = await ServiceHost<SyncProgram>.StartAsync("outbox_sync", new Dictionary<string, string?>
        {
            ["Salesforce:OrganizationId"] = OrganizationId,
            ["Webhooks:ChangeEventSecrets:0"] = secret,
            ["Messaging:Outbox:ParkedCountInterval"] = "00:00:00.200",
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _sync.DisposeAsync();
        await _scoring.DisposeAsync();
    }

    private static Dictionary<string, object?> ChangeEvent(string id) => new()
    {
        ["ChangeEventHeader"] = new Dictionary<string, object?>
        {
            ["entityName"] = "Opportunity",
            ["recordIds"] = new[] { id },
            ["changeType"] = "CREATE",
            ["changeOrigin"] = "com/salesforce/api/rest/62.0;client=salesforce-ui",
            ["transactionKey"] = Guid.NewGuid().ToString(),
            ["sequenceNumber"] = 1,
            ["commitTimestamp"] = Commit.ToUnixTimeMilliseconds(),
            ["commitNumber"] = 1,
            ["commitUser"] = "005000000000001AAA",
            ["changedFields"] = Array.Empty<string>(),
        },
        ["Name"] = "Initech expansion",
        ["StageName"] = "Qualification",
        ["OwnerId"] = "005000000000002AAA",
        ["Amount"] = 40000,
        ["CloseDate"] = "2027-03-31",
    };

    private async Task<long> ScalarAsync(string connectionString, string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    [Test]
    public async Task A_poison_row_parks_and_is_counted_while_2000_opportunities_after_it_are_scored()
    {
        var poison = await ScalarAsync(_sync.DatabaseConnectionString,
            "INSERT INTO outbox_messages (message_id, message_type, body) VALUES (gen_random_uuid(), 'PipelineCoach.Contracts.Sync.NoSuchEvent, PipelineCoach.Contracts.Sync', '{}') RETURNING id");

        var ids = Enumerable.Range(0, 2000).Select(_ => TestIds.New("006")).ToArray();
        using var client = _sync.CreateClient();
        foreach (var chunk in ids.Chunk(1000))
        {
            using var response = await client.SendAsync(_signer.Request("/webhooks/salesforce/change-events", JsonSerializer.Serialize(chunk.Select(ChangeEvent))));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }

        await Eventually.TrueAsync(
            async () => await ScalarAsync(_scoring.DatabaseConnectionString, "SELECT count(*) FROM scores WHERE opportunity_id = ANY(@ids)", new { ids }) == ids.Length,
            "Scoring to score all 2,000 opportunities", TimeSpan.FromSeconds(120));
        await Eventually.TrueAsync(
            async () => await ScalarAsync(_sync.DatabaseConnectionString, "SELECT count(*) FROM outbox_messages WHERE id = @poison AND parked_at IS NOT NULL", new { poison }) == 1,
            "the poison row to be parked");
        var metrics = await Eventually.ValueAsync(
            () => _sync.CreateClient().GetStringAsync(new Uri("/metrics", UriKind.Relative)),
            text => SyncParked(text) == "1",
            "Sync's /metrics to count the parked message");
        using var reader = _sync.CreateClient().WithScopes(PipelineCoach.Sync.SyncScopes.Read);
        using var status = JsonDocument.Parse(await reader.GetStringAsync(new Uri("/api/v1/sync/status", UriKind.Relative)));
        Assert.Multiple(() =>
        {
            Assert.That(SyncParked(metrics), Is.EqualTo("1"));
            Assert.That(status.RootElement.GetProperty("outboxParked").GetInt64(), Is.EqualTo(1), "the status API shows it too");
        });
    }

    [Test]
    public async Task The_webhooks_trace_id_reaches_scorings_consumer()
    {
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        var id = TestIds.New("006");
        using var client = _sync.CreateClient();
        using var request = _signer.Request("/webhooks/salesforce/change-events", JsonSerializer.Serialize(ChangeEvent(id)));
        request.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await Eventually.TrueAsync(() => _scoringReceived.TraceParents.Any(t => t.Contains(traceId, StringComparison.Ordinal)),
            "Scoring to receive a message carrying the webhook's trace id");
        var stored = await ScalarAsync(_sync.DatabaseConnectionString,
            "SELECT count(*) FROM outbox_messages WHERE headers->>'traceparent' LIKE '00-' || @traceId || '-%'", new { traceId });
        Assert.That(stored, Is.GreaterThanOrEqualTo(1), "Sync's outbox row stored the trace");
    }

    private static string? SyncParked(string metrics) => PrometheusText.ValueOf(metrics, "outbox_messages_parked", "sync");
}
