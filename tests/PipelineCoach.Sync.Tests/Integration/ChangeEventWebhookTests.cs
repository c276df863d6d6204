using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Testing;

namespace PipelineCoach.Sync.Tests.Integration;

public sealed class When_salesforce_posts_change_events : SyncFixture
{
    private const string Path = "/webhooks/salesforce/change-events";
    private static readonly DateTimeOffset Commit = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);
    private Task<HttpResponseMessage> PostAsync(object payload, string? webhookId = null) =>
        Client.SendAsync(Sync.Signer.Request(Path, ChangeEvents.Json(payload), webhookId));

    private Task<long> StoredEventsFor(string id) =>
        Sync.CountAsync("SELECT count(*) FROM change_events WHERE @id = ANY(record_ids)", new { id });

    private Task<long> OutboxMessagesFor(string id) =>
        Sync.CountAsync("SELECT count(*) FROM outbox_entries WHERE body LIKE '%' || @id || '%'", new { id });

    [Test]
    public async Task Should_store_the_event_and_serve_the_opportunity()
    {
        var id = ChangeEvents.NewOpportunityId();
        using var response = await PostAsync(ChangeEvents.Created(id, Commit));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());

        using var reader = Sync.Host.CreateClient().WithScopes(SyncScopes.Read);
        var opportunity = await reader.GetFromJsonAsync<OpportunitySnapshot>($"/api/v1/opportunities/{id}");
        Assert.Multiple(() =>
        {
            Assert.That(opportunity!.StageName, Is.EqualTo("Prospecting"));
            Assert.That(opportunity.Amount, Is.EqualTo(125000.50m));
            Assert.That(opportunity.CloseDate, Is.EqualTo(new DateOnly(2026, 12, 31)));
            Assert.That(opportunity.CustomFields["Compelling_Event_Date__c"], Is.EqualTo("2026-12-15"));
        });
    }

    [Test]
    public async Task Should_publish_once_through_the_outbox_even_when_the_same_event_arrives_twice()
    {
        var id = ChangeEvents.NewOpportunityId();
        var payload = ChangeEvents.Created(id, Commit);
        await using var published = await QueueProbe<OpportunityChanged>.StartAsync();

        using var first = await PostAsync(payload);
        using var sameDelivery = await PostAsync(payload, webhookId: first.RequestMessage!.Headers.GetValues("webhook-id").Single());
        using var sameEventNewDelivery = await PostAsync(payload);

        Assert.That(new[] { first.StatusCode, sameDelivery.StatusCode, sameEventNewDelivery.StatusCode }, Is.All.EqualTo(HttpStatusCode.OK));
        var duplicate = await sameEventNewDelivery.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(duplicate.GetProperty("duplicateEvents").GetInt32(), Is.EqualTo(1));
        Assert.That(await StoredEventsFor(id), Is.EqualTo(1));
        Assert.That(await OutboxMessagesFor(id), Is.EqualTo(1));
        var received = await published.WaitForAsync(m => m.OpportunityId == id, "the OpportunityChanged");
        Assert.Multiple(() =>
        {
            Assert.That(received.Message.Source, Is.EqualTo("webhook"));
            Assert.That(received.Message.ChangeType, Is.EqualTo("CREATE"));
            Assert.That(received.Message.SourceVersion, Is.EqualTo(Commit));
            Assert.That(received.Message.Opportunity.StageName, Is.EqualTo("Prospecting"));
            Assert.That(received.Message.Opportunity.Amount, Is.EqualTo(125000.50m));
            Assert.That(published.Matching(m => m.OpportunityId == id), Has.Count.EqualTo(1), "published once");
        });
    }

    [Test]
    public async Task Should_never_let_an_older_event_overwrite_a_newer_one()
    {
        var id = ChangeEvents.NewOpportunityId();
        using var created = await PostAsync(ChangeEvents.Created(id, Commit));
        using var newer = await PostAsync(ChangeEvents.Opportunity("UPDATE", [id], Commit.AddMinutes(10), new() { ["StageName"] = "Negotiation" }));
        using var older = await PostAsync(ChangeEvents.Opportunity("UPDATE", [id], Commit.AddMinutes(5), new() { ["StageName"] = "Qualification" }));

        var result = await older.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(result.GetProperty("staleRecords").GetInt32(), Is.EqualTo(1));
        using var reader = Sync.Host.CreateClient().WithScopes(SyncScopes.Read);
        var opportunity = await reader.GetFromJsonAsync<OpportunitySnapshot>($"/api/v1/opportunities/{id}");
        Assert.That(opportunity!.StageName, Is.EqualTo("Negotiation"));
        Assert.That(await OutboxMessagesFor(id), Is.EqualTo(2), "the stale event publishes nothing");
    }

    [Test]
    public async Task Should_apply_one_event_to_every_record_it_names_and_publish_deletes()
    {
        var ids = new[] { ChangeEvents.NewOpportunityId(), ChangeEvents.NewOpportunityId() };
        using var created = await PostAsync(new[] { ChangeEvents.Created(ids[0], Commit), ChangeEvents.Created(ids[1], Commit) });
        using var deleted = await PostAsync(ChangeEvents.Opportunity("DELETE", ids, Commit.AddMinutes(1), []));

        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var reader = Sync.Host.CreateClient().WithScopes(SyncScopes.Read);
        foreach (var id in ids)
        {
            using var response = await reader.GetAsync($"/api/v1/opportunities/{id}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await Sync.CountAsync(
                "SELECT count(*) FROM outbox_entries WHERE message_type LIKE 'PipelineCoach.Contracts.Sync.OpportunityDeleted,%' AND body LIKE '%' || @id || '%'",
                new { id }), Is.EqualTo(1));
        }
    }
}
