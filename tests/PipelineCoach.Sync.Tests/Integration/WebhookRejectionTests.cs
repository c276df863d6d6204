using System.Net;
using System.Text;
using PipelineCoach.ServiceDefaults.Webhooks;
using PipelineCoach.Testing;

namespace PipelineCoach.Sync.Tests.Integration;

public sealed class When_a_change_event_delivery_is_bad : SyncFixture
{
    private const string Path = "/webhooks/salesforce/change-events";
    private static readonly DateTimeOffset Commit = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);
    private async Task AssertRejected(HttpRequestMessage request, HttpStatusCode status, string detailContains)
    {
        var before = await Sync.CountAsync("SELECT (SELECT count(*) FROM change_events) + (SELECT count(*) FROM webhook_deliveries) + (SELECT count(*) FROM opportunities) + (SELECT count(*) FROM outbox_entries)");
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(body, Does.Contain(detailContains));
        var after = await Sync.CountAsync("SELECT (SELECT count(*) FROM change_events) + (SELECT count(*) FROM webhook_deliveries) + (SELECT count(*) FROM opportunities) + (SELECT count(*) FROM outbox_entries)");
        Assert.That(after, Is.EqualTo(before), "a rejected delivery stores nothing");
    }

    private static string ValidJson() => ChangeEvents.Json(ChangeEvents.Created(ChangeEvents.NewOpportunityId(), Commit));

    [Test]
    public Task Should_refuse_a_bad_signature() =>
        AssertRejected(new WebhookSigner(StandardWebhooks.NewSecret()).Request(Path, ValidJson()), HttpStatusCode.Unauthorized, "does not match");

    [Test]
    public async Task Should_refuse_a_body_changed_after_signing()
    {
        var request = Sync.Signer.Request(Path, ValidJson());
        request.Content = new StringContent(ValidJson(), Encoding.UTF8, "application/json");
        await AssertRejected(request, HttpStatusCode.Unauthorized, "does not match");
    }

    [Test]
    public Task Should_refuse_a_stale_timestamp() =>
        AssertRejected(Sync.Signer.Request(Path, ValidJson(), timestamp: DateTimeOffset.UtcNow.AddMinutes(-6)), HttpStatusCode.Unauthorized, "replay window");

    [Test]
    public async Task Should_refuse_missing_signature_headers()
    {
        var request = Sync.Signer.Request(Path, ValidJson());
        request.Headers.Remove(StandardWebhooks.SignatureHeader);
        await AssertRejected(request, HttpStatusCode.Unauthorized, "webhook-signature");
    }

    [Test]
    public Task Should_refuse_malformed_json() =>
        AssertRejected(Sync.Signer.Request(Path, "{\"ChangeEventHeader\": {"), HttpStatusCode.BadRequest, "Malformed JSON");

    [Test]
    public Task Should_refuse_an_invalid_header_naming_the_field() =>
        AssertRejected(Sync.Signer.Request(Path, """{"ChangeEventHeader":{"entityName":"Opportunity","changeType":"CREATE","recordIds":["006"],"transactionKey":"t","sequenceNumber":1,"commitTimestamp":1}}"""),
            HttpStatusCode.BadRequest, "ChangeEventHeader.recordIds");

    [Test]
    public Task Should_refuse_an_oversized_body() =>
        AssertRejected(Sync.Signer.Request(Path, "[" + string.Join(',', Enumerable.Repeat(ValidJson(), 200)) + "]"), HttpStatusCode.RequestEntityTooLarge, "limited to 65536 bytes");
}
