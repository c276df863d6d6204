using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PipelineCoach.SalesforceSimulator.ChangeEvents;
using PipelineCoach.SalesforceSimulator.Generation;

namespace PipelineCoach.SalesforceSimulator.Tests;

internal sealed class When_signing_webhooks
{
    [Test]
    public void Should_match_the_standard_webhooks_test_vector() =>
        Assert.That(
            StandardWebhooks.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}"""),
            Is.EqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
}

internal sealed class When_publishing_change_events : SimulatorFixture
{
    private TestReceiver receiver = null!;

    protected override int Opportunities => 300;

    protected override void Configure(SimulatorOptions options) => options.TimeScale = 0.001;

    [OneTimeSetUp]
    public async Task StartReceiverAsync()
    {
        receiver = await TestReceiver.StartAsync();
        receiver.Respond = _ => (200, string.Empty);
        Host.ChangeEvents.WebhookUrl = receiver.Url;
    }

    [OneTimeTearDown]
    public async Task StopReceiverAsync() => await receiver.DisposeAsync();

    [TearDown]
    public void SinglePayloads() => Host.Options.ChangeEvents.MaxEventsPerPost = 1;

    private static string Opp(int row) => SalesforceIds.Create("006", row);

    private static IEnumerable<JsonElement> Payloads(ReceivedRequest request)
    {
        var root = JsonDocument.Parse(request.Body).RootElement.Clone();
        return root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
    }

    private List<(ReceivedRequest Request, JsonElement Payload)> EventsFor(string id) =>
        [.. receiver.Requests.SelectMany(r => Payloads(r).Select(p => (r, p)))
            .Where(x => x.p.GetProperty("ChangeEventHeader").GetProperty("recordIds").EnumerateArray().Any(i => i.GetString() == id))];

    [Test]
    public async Task Should_post_a_signed_update_event_with_header_and_changed_fields()
    {
        using var patch = await Client.PatchAsync($"services/data/v62.0/sobjects/Opportunity/{Opp(10)}", """{"NextStep": null, "Qualification_Score__c": 64}""", "client=pipeline-coach");
        await Poll.UntilAsync(() => EventsFor(Opp(10)).Count > 0, "the change event");
        var (request, payload) = EventsFor(Opp(10))[0];
        var header = payload.GetProperty("ChangeEventHeader");
        var id = request.Headers["webhook-id"];
        var timestamp = request.Headers["webhook-timestamp"];
        var key = Convert.FromBase64String(Host.Options.ChangeEvents.Secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{request.Body}")));

        Assert.Multiple(() =>
        {
            Assert.That(request.Headers["webhook-signature"], Is.EqualTo(expected));
            Assert.That(id, Does.StartWith("msg_"));
            Assert.That(timestamp, Does.Match(@"^\d{10}$"));
            Assert.That(header.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
            {
                "entityName", "recordIds", "changeType", "changedFields", "nulledFields", "diffFields", "changeOrigin",
                "transactionKey", "sequenceNumber", "commitTimestamp", "commitNumber", "commitUser",
            }));
            Assert.That(header.GetProperty("entityName").GetString(), Is.EqualTo("Opportunity"));
            Assert.That(header.GetProperty("changeType").GetString(), Is.EqualTo("UPDATE"));
            Assert.That(header.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()),
                Is.EquivalentTo(new[] { "NextStep", "Qualification_Score__c", "LastModifiedDate", "LastModifiedById" }));
            Assert.That(header.GetProperty("nulledFields").EnumerateArray().Select(f => f.GetString()), Is.EqualTo(new[] { "NextStep" }));
            Assert.That(header.GetProperty("changeOrigin").GetString(), Is.EqualTo("com/salesforce/api/rest/62.0;client=pipeline-coach"));
            Assert.That(header.GetProperty("commitTimestamp").GetInt64(), Is.GreaterThan(1_600_000_000_000));
            Assert.That(header.GetProperty("commitUser").GetString(), Is.EqualTo(Host.Org.UserId(0)));
            Assert.That(payload.GetProperty("Qualification_Score__c").GetDouble(), Is.EqualTo(64));
            Assert.That(payload.GetProperty("NextStep").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(payload.GetProperty("LastModifiedDate").GetString(), Does.Match(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"));
            Assert.That(payload.TryGetProperty("SystemModstamp", out _), Is.False);
        });
    }

    [Test]
    public async Task Should_retry_a_refused_event_under_the_same_webhook_id()
    {
        var refusals = 0;
        receiver.Respond = r => r.Body.Contains(Opp(30), StringComparison.Ordinal) && Interlocked.Increment(ref refusals) <= 2 ? (500, "no") : (200, string.Empty);
        try
        {
            using var patch = await Client.PatchAsync($"services/data/v62.0/sobjects/Opportunity/{Opp(30)}", """{"Qualification_Score__c": 12}""");
            await Poll.UntilAsync(() => EventsFor(Opp(30)).Count == 3, "two refused posts and a retry");
            var attempts = EventsFor(Opp(30)).Select(e => e.Request).ToList();

            Assert.Multiple(() =>
            {
                Assert.That(attempts.Select(a => a.Headers["webhook-id"]).Distinct().Count(), Is.EqualTo(1));
                Assert.That(attempts.Select(a => a.Body).Distinct().Count(), Is.EqualTo(1));
            });
        }
        finally
        {
            receiver.Respond = _ => (200, string.Empty);
        }
    }

    [Test]
    public async Task Should_merge_identical_changes_of_one_transaction_into_one_event()
    {
        var records = string.Join(",", new[] { 20, 21, 22 }.Select(r => $$"""{"attributes":{"type":"Opportunity"},"id":"{{Opp(r)}}","Qualification_Grade__c":"B"}"""));
        using var response = await Client.PatchAsync("services/data/v62.0/composite/sobjects", $$"""{"records":[{{records}}]}""");
        await Poll.UntilAsync(() => EventsFor(Opp(22)).Count > 0, "the merged event");
        var header = EventsFor(Opp(20))[0].Payload.GetProperty("ChangeEventHeader");

        Assert.Multiple(() =>
        {
            Assert.That(header.GetProperty("recordIds").EnumerateArray().Select(i => i.GetString()), Is.EqualTo(new[] { Opp(20), Opp(21), Opp(22) }));
            Assert.That(header.GetProperty("changeOrigin").GetString(), Is.EqualTo("com/salesforce/api/rest/62.0"));
            Assert.That(EventsFor(Opp(21)), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Should_publish_creates_with_non_empty_fields_and_deletes_without_fields_in_arrays()
    {
        Host.Options.ChangeEvents.MaxEventsPerPost = 10;
        using var create = await new HttpClient { BaseAddress = Host.BaseUrl }.PostAsync("control/records/Opportunity",
            Http.Json("""{"Name":"Created in a test","StageName":"Prospecting","CloseDate":"2026-12-01","Amount":5000}"""));
        var id = (await create.JsonAsync()).GetProperty("id").GetString()!;
        using var delete = await Client.DeleteAsync($"services/data/v62.0/sobjects/Opportunity/{id}");
        await Poll.UntilAsync(() => EventsFor(id).Count == 2, "create and delete events");
        var created = EventsFor(id).Single(e => e.Payload.GetProperty("ChangeEventHeader").GetProperty("changeType").GetString() == "CREATE").Payload;
        var deleted = EventsFor(id).Single(e => e.Payload.GetProperty("ChangeEventHeader").GetProperty("changeType").GetString() == "DELETE").Payload;

        Assert.Multiple(() =>
        {
            Assert.That(EventsFor(id).Select(e => e.Request.Body[0]), Is.All.EqualTo('['));
            Assert.That(created.GetProperty("ChangeEventHeader").GetProperty("changedFields").GetArrayLength(), Is.Zero);
            Assert.That(created.GetProperty("ChangeEventHeader").GetProperty("changeOrigin").GetString(), Is.Empty);
            Assert.That(created.GetProperty("Name").GetString(), Is.EqualTo("Created in a test"));
            Assert.That(created.GetProperty("CloseDate").GetString(), Is.EqualTo("2026-12-01"));
            Assert.That(created.GetProperty("IsClosed").GetBoolean(), Is.False);
            Assert.That(created.EnumerateObject().Select(p => p.Name), Has.None.EqualTo("IsDeleted").And.None.EqualTo("SystemModstamp").And.None.EqualTo("LastActivityDate").And.None.EqualTo("NextStep"));
            Assert.That(deleted.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "ChangeEventHeader" }));
        });
    }
}

internal sealed class When_injecting_gap_events : SimulatorFixture
{
    protected override int Opportunities => 20;

    [Test]
    public async Task Should_publish_header_only_gap_and_overflow_events()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = _ => (200, string.Empty);
        Host.ChangeEvents.WebhookUrl = receiver.Url;
        using var control = new HttpClient { BaseAddress = Host.BaseUrl };
        var id = SalesforceIds.Create("006", 3);

        using var gap = await control.PostAsync("control/change-events/gap", Http.Json($$"""{"entityName":"Opportunity","changeType":"GAP_UPDATE","recordIds":["{{id}}"]}"""));
        using var overflow = await control.PostAsync("control/change-events/gap", Http.Json("""{"entityName":"Opportunity","changeType":"GAP_OVERFLOW","recordIds":["x"]}"""));
        await Poll.UntilAsync(() => receiver.Requests.Count == 2, "two gap events");
        var headers = receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("ChangeEventHeader").Clone()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That((int)gap.StatusCode, Is.EqualTo(202));
            Assert.That(headers.Select(h => h.GetProperty("changeType").GetString()), Is.EquivalentTo(new[] { "GAP_UPDATE", "GAP_OVERFLOW" }));
            Assert.That(headers.Single(h => h.GetProperty("changeType").GetString() == "GAP_UPDATE").GetProperty("recordIds")[0].GetString(), Is.EqualTo(id));
            Assert.That(headers.Single(h => h.GetProperty("changeType").GetString() == "GAP_OVERFLOW").GetProperty("recordIds").GetArrayLength(), Is.Zero);
            Assert.That(receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.EnumerateObject().Count()), Is.All.EqualTo(1));
        });
    }
}
