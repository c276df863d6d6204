using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Sync.Webhooks.OutboundMessages;
using PipelineCoach.Testing;

namespace PipelineCoach.Sync.Tests.OutboundMessages;

public sealed class When_salesforce_posts_outbound_messages
{
    private OutboundHost _sync = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _sync = await OutboundHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _sync.DisposeAsync();

    private async Task AssertAcked(string xml)
    {
        var (response, body) = await _sync.PostAsync(xml);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(body, Is.EqualTo(SoapResponses.Ack));
        response.Dispose();
    }

    private static JsonElement Json(string body) => JsonDocument.Parse(body).RootElement;

    [Test]
    public async Task Should_answer_the_exact_ack_only_after_storing_and_serve_the_opportunity()
    {
        var (response, body) = await _sync.PostAsync(Envelopes.SingleOpportunity);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/xml; charset=utf-8"));
        Assert.That(body, Is.EqualTo(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
             <soapenv:Body>
              <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>
             </soapenv:Body>
            </soapenv:Envelope>
            """));
        Assert.That(await _sync.CountAsync("SELECT count(*) FROM outbound_notifications WHERE notification_id = '04l000000000001AAA'"), Is.EqualTo(1),
            "the notification is durable by the time the Ack is read");

        using var reader = _sync.Host.CreateClient().WithScopes(SyncScopes.Read);
        var opportunity = await reader.GetFromJsonAsync<OpportunitySnapshot>("/api/v1/opportunities/006000000000001");
        Assert.Multiple(() =>
        {
            Assert.That(opportunity!.Id, Is.EqualTo("006000000000001AAA"));
            Assert.That(opportunity.StageName, Is.EqualTo("Proposal"));
            Assert.That(opportunity.Amount, Is.EqualTo(125000.5m));
            Assert.That(opportunity.AccountId, Is.EqualTo("a0D30000001n7PiEAI"), "15-character ids are stored as 18");
            Assert.That(opportunity.NextStep, Is.Null);
            Assert.That(opportunity.SystemModstamp, Is.EqualTo(new DateTimeOffset(2026, 11, 25, 9, 30, 1, TimeSpan.Zero)));
            Assert.That(opportunity.CustomFields["Qualification_Score__c"], Is.EqualTo("72.0"), "unknown fields are kept as custom fields");
        });

        var published = Json((await _sync.OutboxBodiesAsync(nameof(OpportunityChanged), "006000000000001AAA")).Single());
        Assert.That(published.GetProperty("source").GetString(), Is.EqualTo("outbound-message"));
        Assert.That(published.GetProperty("changeType").GetString(), Is.EqualTo("CREATE"));
        Assert.That(published.GetProperty("isOwnWrite").GetBoolean(), Is.False);
        Assert.That(published.GetProperty("sourceVersion").GetDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2026, 11, 25, 9, 30, 1, TimeSpan.Zero)));
    }

    [Test]
    public async Task Should_store_and_publish_a_redelivered_message_once()
    {
        var note = Envelopes.Opportunity();
        var xml = Envelopes.Message(note);
        await using var published = await QueueProbe<OpportunityChanged>.StartAsync();

        await AssertAcked(xml);
        await AssertAcked(xml);
        await AssertAcked(Envelopes.Message(note, Envelopes.Opportunity()));

        Assert.That(await _sync.CountAsync("SELECT count(*) FROM outbound_notifications WHERE record_id = @id", new { id = note.RecordId }), Is.EqualTo(1));
        Assert.That(await _sync.OutboxBodiesAsync(nameof(OpportunityChanged), note.RecordId), Has.Count.EqualTo(1));
        var received = await published.WaitForAsync(m => m.OpportunityId == note.RecordId, "the OpportunityChanged");
        Assert.Multiple(() =>
        {
            Assert.That(received.Message.Source, Is.EqualTo("outbound-message"));
            Assert.That(received.Message.ChangeType, Is.EqualTo("CREATE"));
            Assert.That(received.Message.Opportunity.Id, Is.EqualTo(note.RecordId));
            Assert.That(received.Message.Opportunity.StageName, Is.EqualTo("Prospecting"));
            Assert.That(published.Matching(m => m.OpportunityId == note.RecordId), Has.Count.EqualTo(1), "published once");
        });
    }

    [Test]
    public async Task Should_store_and_publish_once_when_the_same_message_arrives_concurrently()
    {
        var notes = Enumerable.Range(0, 20).Select(_ => Envelopes.Opportunity()).ToList();
        var xml = Envelopes.Message(notes);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _sync.PostAsync(xml)));

        Assert.That(responses.Select(r => r.Body), Is.All.EqualTo(SoapResponses.Ack), "every copy is acknowledged");
        var ids = notes.Select(n => n.RecordId).ToArray();
        Assert.That(await _sync.CountAsync("SELECT count(*) FROM outbound_notifications WHERE record_id = ANY(@ids)", new { ids }), Is.EqualTo(20));
        Assert.That(await _sync.CountAsync(
            "SELECT count(*) FROM outbox_entries WHERE message_type LIKE 'PipelineCoach.Contracts.Sync.OpportunityChanged,%' AND substring(body from '\"opportunityId\":\"([^\"]+)\"') = ANY(@ids)",
            new { ids }), Is.EqualTo(20), "one OpportunityChanged per opportunity");
    }

    [Test]
    public async Task Should_keep_the_newer_data_when_deliveries_arrive_out_of_order()
    {
        var id = TestIds.New("006");
        var newer = Envelopes.Opportunity(id, Envelopes.Modstamp.AddMinutes(10), "Negotiation");
        var older = Envelopes.Opportunity(id, Envelopes.Modstamp, "Qualification");

        await AssertAcked(Envelopes.Message(newer));
        await AssertAcked(Envelopes.Message(older));

        Assert.That(await _sync.ScalarAsync<string>("SELECT stage_name FROM opportunities WHERE id = @id", new { id }), Is.EqualTo("Negotiation"));
        Assert.That(await _sync.CountAsync("SELECT count(*) FROM outbound_notifications WHERE record_id = @id", new { id }), Is.EqualTo(2),
            "the older notification is recorded, just not applied");
        var published = await _sync.OutboxBodiesAsync(nameof(OpportunityChanged), id);
        Assert.That(published, Has.Count.EqualTo(1), "a stale snapshot publishes nothing");
        Assert.That(Json(published[0]).GetProperty("opportunity").GetProperty("stageName").GetString(), Is.EqualTo("Negotiation"));
    }

    [Test]
    public async Task Should_apply_only_the_newest_of_several_notifications_for_one_record_in_one_message()
    {
        var id = TestIds.New("006");
        await AssertAcked(Envelopes.Message(
            Envelopes.Opportunity(id, Envelopes.Modstamp.AddMinutes(2), "Closed Won"),
            Envelopes.Opportunity(id, Envelopes.Modstamp.AddMinutes(1), "Negotiation")));

        Assert.That(await _sync.ScalarAsync<string>("SELECT stage_name FROM opportunities WHERE id = @id", new { id }), Is.EqualTo("Closed Won"));
        Assert.That(await _sync.OutboxBodiesAsync(nameof(OpportunityChanged), id), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Should_publish_an_update_with_previous_values_and_keep_fields_the_message_did_not_carry()
    {
        var id = TestIds.New("006");
        await AssertAcked(Envelopes.Message(Envelopes.Opportunity(id, Envelopes.Modstamp, "Qualification", ("Partner__c", "Globex"))));
        await AssertAcked(Envelopes.Message(Envelopes.Opportunity(id, Envelopes.Modstamp.AddHours(1), "Proposal")));

        var update = Json((await _sync.OutboxBodiesAsync(nameof(OpportunityChanged), id))[1]);
        Assert.Multiple(() =>
        {
            Assert.That(update.GetProperty("changeType").GetString(), Is.EqualTo("UPDATE"));
            Assert.That(update.GetProperty("previousValues").GetProperty("StageName").GetString(), Is.EqualTo("Qualification"));
            Assert.That(update.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()), Is.EquivalentTo(new[] { "StageName", "SystemModstamp" }));
            Assert.That(update.GetProperty("opportunity").GetProperty("customFields").GetProperty("Partner__c").GetString(), Is.EqualTo("Globex"));
        });
    }

    [Test]
    public async Task Should_keep_the_derived_history_and_carry_it_on_the_event()
    {
        var id = TestIds.New("006");
        await AssertAcked(Envelopes.Message(Envelopes.Opportunity(id, Envelopes.Modstamp, "Qualification")));
        await _sync.CountAsync("UPDATE opportunities SET history_summary = '{\"CloseDatePushCount\":2}' WHERE id = @id; SELECT 0", new { id });

        await AssertAcked(Envelopes.Message(Envelopes.Opportunity(id, Envelopes.Modstamp.AddHours(1), "Proposal")));

        Assert.That(await _sync.ScalarAsync<string>("SELECT history_summary->>'CloseDatePushCount' FROM opportunities WHERE id = @id", new { id }), Is.EqualTo("2"));
        var update = Json((await _sync.OutboxBodiesAsync(nameof(OpportunityChanged), id))[1]);
        Assert.That(update.GetProperty("history").GetProperty("closeDatePushCount").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task Should_flag_the_echo_of_our_own_write_back()
    {
        var id = TestIds.New("006");
        await AssertAcked(Envelopes.Message(Envelopes.Opportunity(id, null, "Prospecting", ("LastModifiedById", OutboundHost.IntegrationUserId[..15]), ("Qualification_Score__c", "80"))));

        var published = Json((await _sync.OutboxBodiesAsync(nameof(OpportunityChanged), id)).Single());
        Assert.That(published.GetProperty("isOwnWrite").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Should_report_only_the_write_back_and_audit_fields_as_changed_on_our_echo()
    {
        var id = TestIds.New("006");
        await AssertAcked(Envelopes.Message(Envelopes.Opportunity(id, Envelopes.Modstamp, "Proposal",
            ("LastModifiedById", "005000000000002AAA"), ("Qualification_Score__c", "40"))));
        await AssertAcked(Envelopes.Message(Envelopes.Opportunity(id, Envelopes.Modstamp.AddMinutes(1), "Proposal",
            ("LastModifiedById", OutboundHost.IntegrationUserId), ("Qualification_Score__c", "72"))));

        var echo = Json((await _sync.OutboxBodiesAsync(nameof(OpportunityChanged), id))[1]);
        Assert.That(echo.GetProperty("isOwnWrite").GetBoolean(), Is.True);
        Assert.That(echo.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()),
            Is.EquivalentTo(new[] { "LastModifiedById", "Qualification_Score__c", "SystemModstamp" }),
            "Scoring recognises an echo by IsOwnWrite plus nothing but write-back and audit fields changed");
    }

    [Test]
    public async Task Should_mirror_accounts_and_publish_account_changed_with_a_version_check()
    {
        var id = TestIds.New("001");
        await AssertAcked(Envelopes.Message(Envelopes.Account(id, Envelopes.Modstamp.AddMinutes(5), "Acme Corp")));
        await AssertAcked(Envelopes.Message(Envelopes.Account(id, Envelopes.Modstamp, "Acme (old name)")));

        Assert.That(await _sync.ScalarAsync<string>("SELECT name FROM accounts WHERE id = @id", new { id }), Is.EqualTo("Acme Corp"));
        Assert.That(await _sync.ScalarAsync<string>("SELECT fields->>'Region__c' FROM accounts WHERE id = @id", new { id }), Is.EqualTo("EMEA"));
        var published = await _sync.OutboxBodiesAsync(nameof(AccountChanged), id);
        Assert.That(published, Has.Count.EqualTo(1));
        Assert.That(Json(published[0]).GetProperty("name").GetString(), Is.EqualTo("Acme Corp"));
        Assert.That(Json(published[0]).GetProperty("ownerId").GetString(), Is.EqualTo("005000000000002AAA"));
    }

    [Test]
    public async Task Should_mirror_users_and_publish_user_changed()
    {
        var id = TestIds.New("005");
        await AssertAcked(Envelopes.Message(Envelopes.User(id, managerId: "005000000000003")));

        Assert.That(await _sync.ScalarAsync<string>("SELECT manager_id FROM users WHERE id = @id", new { id }), Is.EqualTo("005000000000003AAA"));
        var published = Json((await _sync.OutboxBodiesAsync(nameof(UserChanged), id)).Single());
        Assert.Multiple(() =>
        {
            Assert.That(published.GetProperty("managerId").GetString(), Is.EqualTo("005000000000003AAA"));
            Assert.That(published.GetProperty("timeZone").GetString(), Is.EqualTo("Europe/Berlin"));
            Assert.That(published.GetProperty("email").GetString(), Is.EqualTo("dana@example.com"));
            Assert.That(published.GetProperty("isActive").GetBoolean(), Is.True);
        });
    }

    [Test]
    public async Task Should_mirror_contact_roles_and_republish_their_opportunity_with_them()
    {
        var opportunity = Envelopes.Opportunity();
        await AssertAcked(Envelopes.Message(opportunity));
        var role = Envelopes.ContactRole(opportunity.RecordId, "Economic Buyer");
        await AssertAcked(Envelopes.Message(role));

        Assert.That(await _sync.ScalarAsync<string>("SELECT role FROM opportunity_contact_roles WHERE opportunity_id = @id", new { id = opportunity.RecordId }),
            Is.EqualTo("Economic Buyer"));
        var published = await _sync.OutboxBodiesAsync(nameof(OpportunityChanged), opportunity.RecordId);
        Assert.That(published, Has.Count.EqualTo(2));
        var roles = Json(published[1]).GetProperty("contactRoles");
        Assert.That(roles.GetArrayLength(), Is.EqualTo(1));
        Assert.That(roles[0].GetProperty("role").GetString(), Is.EqualTo("Economic Buyer"));
        Assert.That(roles[0].GetProperty("isPrimary").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Should_store_a_full_message_of_100_notifications()
    {
        var notes = Enumerable.Range(0, 100).Select(_ => Envelopes.Opportunity()).ToList();
        await AssertAcked(Envelopes.Message(notes));

        Assert.That(await _sync.CountAsync("SELECT count(*) FROM opportunities WHERE id = ANY(@ids::bpchar[])", new { ids = notes.Select(n => n.RecordId).ToArray() }),
            Is.EqualTo(100));
        Assert.That(await _sync.CountAsync("SELECT count(*) FROM outbound_notifications WHERE notification_id = ANY(@ids)", new { ids = notes.Select(n => n.NotificationId).ToArray() }),
            Is.EqualTo(100));
    }
}

public sealed class When_an_outbound_message_is_refused
{
    private OutboundHost _sync = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _sync = await OutboundHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _sync.DisposeAsync();

    private async Task<string> AssertFault(string xml, HttpStatusCode status, string faultCode, string reason)
    {
        var before = await _sync.StoredRowsAsync();
        var (response, body) = await _sync.PostAsync(xml);
        using (response)
        {
            Assert.That(response.StatusCode, Is.EqualTo(status), body);
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/xml; charset=utf-8"));
        }

        Assert.That(body, Does.Contain($"<faultcode>soapenv:{faultCode}</faultcode>"));
        Assert.That(body, Does.Contain(reason));
        Assert.That(await _sync.StoredRowsAsync(), Is.EqualTo(before), "a refused message stores nothing");
        return body;
    }

    [Test]
    public Task Should_refuse_another_org() =>
        AssertFault(Envelopes.Message([Envelopes.Opportunity()], organizationId: "00D000000000002EAA"),
            HttpStatusCode.InternalServerError, "Client", "00D000000000002EAA is not an org this endpoint serves");

    [Test]
    public async Task Should_refuse_an_external_entity_without_reading_the_file()
    {
        var secretFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(secretFile, "TOP-SECRET-MARKER");
        try
        {
            var body = await AssertFault(Envelopes.ExternalEntity(secretFile), HttpStatusCode.InternalServerError, "Client", "DTDs");
            Assert.That(body, Does.Not.Contain("TOP-SECRET-MARKER"));
            Assert.That(await _sync.CountAsync("SELECT count(*) FROM opportunities WHERE name LIKE '%TOP-SECRET%'"), Is.Zero);
        }
        finally
        {
            File.Delete(secretFile);
        }
    }

    [Test]
    public Task Should_refuse_entity_expansion() =>
        AssertFault(Envelopes.BillionLaughs(), HttpStatusCode.InternalServerError, "Client", "DTDs");

    [Test]
    public Task Should_refuse_malformed_soap() =>
        AssertFault(Envelopes.SingleOpportunity.Replace("</notifications>", "", StringComparison.Ordinal), HttpStatusCode.InternalServerError, "Client", "Malformed XML");

    [Test]
    public Task Should_refuse_json() =>
        AssertFault("""{"notifications":[]}""", HttpStatusCode.InternalServerError, "Client", "Malformed XML");

    [Test]
    public Task Should_refuse_a_body_over_the_limit() =>
        AssertFault(Envelopes.Message(Enumerable.Range(0, 100).Select(_ => Envelopes.Opportunity(null, null, "Prospecting", ("Description", new string('x', 3000))))),
            HttpStatusCode.RequestEntityTooLarge, "Client", $"limited to {OutboundHost.MaxBodyBytes} bytes");

    [Test]
    public Task Should_refuse_an_object_type_that_is_not_mirrored() =>
        AssertFault(Envelopes.SingleOpportunity.Replace("sf:Opportunity", "sf:Lead", StringComparison.Ordinal), HttpStatusCode.InternalServerError, "Client", "Lead&apos; is not mirrored");

    [Test]
    public async Task Should_answer_a_server_fault_when_the_message_cannot_be_stored()
    {
        // The mirror write fails after the notifications were inserted: the whole transaction must roll back.
        await _sync.CountAsync("ALTER TABLE opportunities ADD CONSTRAINT refuse_all CHECK (false) NOT VALID; SELECT 0");
        try
        {
            await AssertFault(Envelopes.Message(Envelopes.Opportunity()), HttpStatusCode.InternalServerError, "Server", "please retry");
        }
        finally
        {
            await _sync.CountAsync("ALTER TABLE opportunities DROP CONSTRAINT refuse_all; SELECT 0");
        }
    }
}

public sealed class When_the_outbound_message_endpoint_has_a_secret_path
{
    private const string Secret = "s3cr3t-path-segment-0123456789abcdef";
    private const string PreviousSecret = "previous-secret-segment-0123456789ab";
    private OutboundHost _sync = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _sync = await OutboundHost.StartAsync(Secret, PreviousSecret);

    [OneTimeTearDown]
    public async Task StopAsync() => await _sync.DisposeAsync();

    [TestCase(OutboundHost.Path)]
    [TestCase(OutboundHost.Path + "/wrong-secret-0123456789abcdef012345")]
    [TestCase(OutboundHost.Path + "/s3cr3t-path-segment-0123456789abcdeF")]
    public async Task Should_answer_404_and_store_nothing_without_the_right_secret(string path)
    {
        var before = await _sync.StoredRowsAsync();
        var (response, _) = await _sync.PostAsync(Envelopes.Message(Envelopes.Opportunity()), path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await _sync.StoredRowsAsync(), Is.EqualTo(before));
    }

    [TestCase(Secret)]
    [TestCase(PreviousSecret)]
    public async Task Should_accept_the_current_and_the_previous_secret(string secret)
    {
        var note = Envelopes.Opportunity();
        var (response, body) = await _sync.PostAsync(Envelopes.Message(note), $"{OutboundHost.Path}/{secret}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(body, Is.EqualTo(SoapResponses.Ack));
        Assert.That(await _sync.CountAsync("SELECT count(*) FROM opportunities WHERE id = @id", new { id = note.RecordId }), Is.EqualTo(1));
    }
}
