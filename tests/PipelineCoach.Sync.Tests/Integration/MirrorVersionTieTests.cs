using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Testing;

namespace PipelineCoach.Sync.Tests.Integration;

/// <summary>Ties of the "newer wins" rule through the webhook, against the real mirror.</summary>
public sealed class When_a_change_arrives_at_the_version_already_mirrored : SyncFixture
{
    private const string Path = "/webhooks/salesforce/change-events";
    private static readonly DateTimeOffset Commit = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    private async Task<JsonElement> PostAsync(Dictionary<string, object?> payload)
    {
        using var response = await Client.SendAsync(Sync.Signer.Request(Path, ChangeEvents.Json(payload)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Dictionary<string, object?> Update(string id, string stage, string transactionKey, int sequenceNumber)
    {
        var payload = ChangeEvents.Opportunity("UPDATE", [id], Commit, new() { ["StageName"] = stage }, transactionKey);
        ((Dictionary<string, object?>)payload["ChangeEventHeader"]!)["sequenceNumber"] = sequenceNumber;
        return payload;
    }

    private async Task<string?> StageAsync(string id)
    {
        using var reader = Sync.Host.CreateClient().WithScopes(SyncScopes.Read);
        return (await reader.GetFromJsonAsync<OpportunitySnapshot>($"/api/v1/opportunities/{id}"))!.StageName;
    }

    [Test]
    public async Task Should_apply_later_changes_of_the_same_transaction_and_skip_an_earlier_one_arriving_late()
    {
        var id = ChangeEvents.NewOpportunityId();
        var created = ChangeEvents.Created(id, Commit);
        var transactionKey = (string)((Dictionary<string, object?>)created["ChangeEventHeader"]!)["transactionKey"]!;
        ((Dictionary<string, object?>)created["ChangeEventHeader"]!)["sequenceNumber"] = 1;
        await PostAsync(created);

        var third = await PostAsync(Update(id, "Negotiation/Review", transactionKey, 3));
        var second = await PostAsync(Update(id, "Qualification", transactionKey, 2));

        Assert.Multiple(async () =>
        {
            Assert.That(third.GetProperty("recordsApplied").GetInt32(), Is.EqualTo(1), "a later change at the same commit time applies");
            Assert.That(second.GetProperty("staleRecords").GetInt32(), Is.EqualTo(1), "an earlier change of the transaction is older");
            Assert.That(await StageAsync(id), Is.EqualTo("Negotiation/Review"));
        });
    }

    [Test]
    public async Task Should_treat_an_equal_version_as_a_no_op_that_publishes_nothing()
    {
        var id = ChangeEvents.NewOpportunityId();
        var created = ChangeEvents.Created(id, Commit, stage: "Prospecting");
        var header = (Dictionary<string, object?>)created["ChangeEventHeader"]!;
        await PostAsync(created);
        var outboxBefore = await Sync.CountAsync("SELECT count(*) FROM outbox_entries WHERE body LIKE '%' || @id || '%'", new { id });

        // The same version again, under another transaction key (so not deduplicated as the same raw event).
        var again = Update(id, "Closed Lost", Guid.NewGuid().ToString(), Convert.ToInt32(header["sequenceNumber"], System.Globalization.CultureInfo.InvariantCulture));
        var result = await PostAsync(again);

        Assert.Multiple(async () =>
        {
            Assert.That(result.GetProperty("staleRecords").GetInt32(), Is.EqualTo(1));
            Assert.That(await StageAsync(id), Is.EqualTo("Prospecting"));
            Assert.That(await Sync.CountAsync("SELECT count(*) FROM outbox_entries WHERE body LIKE '%' || @id || '%'", new { id }), Is.EqualTo(outboxBefore));
        });
    }
}
