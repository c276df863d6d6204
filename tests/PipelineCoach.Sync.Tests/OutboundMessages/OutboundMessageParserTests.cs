using System.Text;
using PipelineCoach.Sync.Webhooks.OutboundMessages;
using PipelineCoach.Testing;

namespace PipelineCoach.Sync.Tests.OutboundMessages;

public sealed class When_parsing_an_outbound_message
{
    private const int Limit = 1024 * 1024;

    private static OutboundMessageParseResult Parse(string xml, int limit = Limit) =>
        OutboundMessageParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)), limit);

    private static OutboundMessage Valid(string xml)
    {
        var result = Parse(xml);
        Assert.That(result.Error, Is.Null);
        return result.Message!;
    }

    private static void AssertRefused(string xml, string reason)
    {
        var result = Parse(xml);
        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Error, Does.Contain(reason));
    }

    [Test]
    public void Should_read_the_reference_envelope()
    {
        var message = Valid(Envelopes.SingleOpportunity);
        var n = message.Notifications.Single();
        Assert.Multiple(() =>
        {
            Assert.That(message.OrganizationId, Is.EqualTo("00D000000000001EAA"));
            Assert.That(message.ActionId, Is.EqualTo("04k000000000001AAA"));
            Assert.That(message.HasSessionId, Is.False);
            Assert.That(message.EnterpriseUrl, Is.EqualTo("https://acme.my.salesforce.com/services/Soap/c/62.0/00D000000000001"));
            Assert.That(n.NotificationId, Is.EqualTo("04l000000000001AAA"));
            Assert.That(n.ObjectType, Is.EqualTo("Opportunity"));
            Assert.That(n.RecordId, Is.EqualTo("006000000000001AAA"));
            Assert.That(n["StageName"], Is.EqualTo("Proposal"));
            Assert.That(n["Name"], Is.EqualTo("Acme & Co — renewal"));
            Assert.That(n["Amount"], Is.EqualTo("125000.5"));
            Assert.That(n.SystemModstamp, Is.EqualTo(new DateTimeOffset(2026, 11, 25, 9, 30, 1, TimeSpan.Zero)));
            Assert.That(n.LastModifiedDate, Is.EqualTo(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero)));
            Assert.That(n.Version, Is.EqualTo(n.SystemModstamp), "SystemModstamp is the version when present");
        });
    }

    [Test]
    public void Should_keep_nil_fields_as_null_and_unknown_fields_as_sent()
    {
        var n = Valid(Envelopes.SingleOpportunity).Notifications.Single();
        Assert.Multiple(() =>
        {
            Assert.That(n.Fields.Single(f => f.Name == "NextStep").Value, Is.Null, "xsi:nil=\"true\" is an explicit null");
            Assert.That(n.Fields.Any(f => f.Name == "Probability"), Is.False, "an omitted field is not invented");
            Assert.That(n["Qualification_Score__c"], Is.EqualTo("72.0"));
            Assert.That(n.Fields.Select(f => f.Name), Has.Member("Qualification_Score__c"));
        });
    }

    [Test]
    public void Should_normalise_15_character_ids_to_18()
    {
        var note = new Note("04l000000000001", "Opportunity",
            [("Id", "006000000000001"), ("AccountId", "a0D30000001n7Pi"), ("OwnerId", "005000000000002"), ("Name", "a0D30000001n7Pi")]);
        var message = Valid(Envelopes.Message([note], organizationId: "00D000000000001", actionId: "04k000000000001"));
        var n = message.Notifications.Single();
        Assert.Multiple(() =>
        {
            Assert.That(message.OrganizationId, Is.EqualTo("00D000000000001EAA"));
            Assert.That(message.ActionId, Is.EqualTo("04k000000000001AAA"));
            Assert.That(n.NotificationId, Is.EqualTo("04l000000000001AAA"));
            Assert.That(n.RecordId, Is.EqualTo("006000000000001AAA"));
            Assert.That(n["AccountId"], Is.EqualTo("a0D30000001n7PiEAI"), "the checksum example of reference §5");
            Assert.That(n["OwnerId"], Is.EqualTo("005000000000002AAA"));
            Assert.That(n["Name"], Is.EqualTo("a0D30000001n7Pi"), "text fields are never rewritten");
        });
    }

    [Test]
    public void Should_read_all_four_object_types()
    {
        var opportunity = Envelopes.Opportunity();
        var message = Valid(Envelopes.Message(opportunity, Envelopes.Account(), Envelopes.User(), Envelopes.ContactRole(opportunity.RecordId)));
        Assert.That(message.Notifications.Select(n => n.ObjectType),
            Is.EqualTo(new[] { "Opportunity", "Account", "User", "OpportunityContactRole" }));
        Assert.That(message.Notifications[3]["OpportunityId"], Is.EqualTo(opportunity.RecordId));
        Assert.That(message.Notifications[2]["TimeZoneSidKey"], Is.EqualTo("Europe/Berlin"));
    }

    [Test]
    public void Should_read_100_notifications_in_order()
    {
        var notes = Enumerable.Range(0, 100).Select(_ => Envelopes.Opportunity()).ToList();
        var message = Valid(Envelopes.Message(notes));
        Assert.That(message.Notifications.Select(n => n.NotificationId), Is.EqualTo(notes.Select(n => n.NotificationId)));
        Assert.That(message.Notifications.Select(n => n.RecordId), Is.EqualTo(notes.Select(n => n.RecordId)));
    }

    [Test]
    public void Should_refuse_101_notifications() =>
        AssertRefused(Envelopes.Message(Enumerable.Range(0, 101).Select(_ => Envelopes.Opportunity())), "at most 100");

    [Test]
    public void Should_refuse_a_message_without_notifications() =>
        AssertRefused(Envelopes.Message([]), "no Notification");

    [Test]
    public void Should_not_depend_on_prefixes_and_skip_headers_and_comments()
    {
        var xml = """
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
             <s:Header><Trace xmlns="urn:x">abc</Trace></s:Header>
             <!-- a comment -->
             <s:Body>
              <o:notifications xmlns:o="http://soap.sforce.com/2005/09/outbound">
               <o:OrganizationId>00D000000000001EAA</o:OrganizationId>
               <o:ActionId>04k000000000001AAA</o:ActionId>
               <o:SessionId>00D!session</o:SessionId>
               <o:Notification>
                <o:Id>04l000000000001AAA</o:Id>
                <o:sObject i:type="x:User" xmlns:x="urn:sobject.enterprise.soap.sforce.com">
                 <x:Id>005000000000001AAA</x:Id>
                 <x:Email>a@example.com</x:Email>
                 <y:Email xmlns:y="urn:other">ignored@example.com</y:Email>
                </o:sObject>
               </o:Notification>
              </o:notifications>
             </s:Body>
            </s:Envelope>
            """;
        var message = Valid(xml);
        Assert.That(message.HasSessionId, Is.True);
        Assert.That(message.Notifications.Single().ObjectType, Is.EqualTo("User"));
        Assert.That(message.Notifications.Single().Fields.Where(f => f.Name == "Email").Select(f => f.Value), Is.EqualTo(new[] { "a@example.com" }));
    }

    [Test]
    public void Should_refuse_notifications_in_another_namespace() =>
        AssertRefused(Envelopes.SingleOpportunity.Replace("http://soap.sforce.com/2005/09/outbound", "urn:not-salesforce", StringComparison.Ordinal), "no notifications element");

    [Test]
    public void Should_refuse_an_sobject_type_outside_the_sobject_namespace() =>
        AssertRefused(Envelopes.SingleOpportunity.Replace("xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\"", "xmlns:sf=\"urn:other\"", StringComparison.Ordinal), "xsi:type");

    [Test]
    public void Should_refuse_an_object_type_that_is_not_mirrored() =>
        AssertRefused(Envelopes.SingleOpportunity.Replace("sf:Opportunity", "sf:Lead", StringComparison.Ordinal), "'Lead' is not mirrored");

    [Test]
    public void Should_refuse_a_missing_organization_id() =>
        AssertRefused(Envelopes.SingleOpportunity.Replace("<OrganizationId>00D000000000001EAA</OrganizationId>", "", StringComparison.Ordinal), "OrganizationId");

    [Test]
    public void Should_refuse_an_organization_id_that_is_not_an_org() =>
        AssertRefused(Envelopes.Message([Envelopes.Opportunity()], organizationId: "001000000000001AAA"), "OrganizationId");

    [Test]
    public void Should_refuse_a_notification_without_a_valid_record_id() =>
        AssertRefused(Envelopes.SingleOpportunity.Replace("<sf:Id>006000000000001AAA</sf:Id>", "<sf:Id>006</sf:Id>", StringComparison.Ordinal), "no valid sObject Id");

    [Test]
    public void Should_refuse_a_body_that_is_not_a_soap_envelope() =>
        AssertRefused("<notifications xmlns=\"http://soap.sforce.com/2005/09/outbound\"/>", "not a SOAP 1.1 envelope");

    [Test]
    public void Should_refuse_malformed_xml() =>
        AssertRefused(Envelopes.SingleOpportunity[..^40], "Malformed XML");

    [Test]
    public void Should_refuse_an_external_entity_without_resolving_it()
    {
        var secretFile = Path.GetTempFileName();
        File.WriteAllText(secretFile, "TOP-SECRET-MARKER");
        try
        {
            var result = Parse(Envelopes.ExternalEntity(secretFile));
            Assert.That(result.IsValid, Is.False);
            Assert.That(result.Error, Does.Contain("DTD"));
            Assert.That(result.Error, Does.Not.Contain("TOP-SECRET-MARKER"));
        }
        finally
        {
            File.Delete(secretFile);
        }
    }

    [Test]
    public void Should_refuse_entity_expansion() =>
        AssertRefused(Envelopes.BillionLaughs(), "DTD");

    [Test]
    public void Should_refuse_a_document_over_the_character_limit()
    {
        var result = Parse(Envelopes.Message(Enumerable.Range(0, 50).Select(_ => Envelopes.Opportunity())), limit: 4096);
        Assert.That(result.IsValid, Is.False);
        Assert.That(result.TooLarge, Is.True);
        Assert.That(result.Error, Does.Contain("4096"));
    }

    [Test]
    public void Should_read_the_sample_of_the_salesforce_setup_guide()
    {
        // The guide tells admins to post this by hand: it must stay a message Sync accepts.
        var guide = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "salesforce-setup.md"));
        var start = guide.IndexOf("<<'XML'\n", StringComparison.Ordinal) + "<<'XML'\n".Length;
        var xml = guide[start..guide.IndexOf("\nXML\n", start, StringComparison.Ordinal)];

        var message = Valid(xml);
        Assert.That(message.OrganizationId, Is.EqualTo("00D5g000004DemoEAC"), "the org id deploy/local/up.sh configures");
        Assert.That(message.Notifications.Single().RecordId, Is.EqualTo("0065g00000AbCdEAAV"));
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Services.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new DirectoryNotFoundException("Services.sln not found above " + AppContext.BaseDirectory);
    }

    [Test]
    public void Should_use_last_modified_date_when_there_is_no_modstamp()
    {
        var note = new Note(TestIds.New("04l"), "Account", [("Id", TestIds.New("001")), ("LastModifiedDate", "2026-11-20T08:00:00.000+0000")]);
        var n = Valid(Envelopes.Message(note)).Notifications.Single();
        Assert.That(n.SystemModstamp, Is.Null);
        Assert.That(n.Version, Is.EqualTo(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero)));
    }
}

public sealed class When_choosing_what_to_apply
{
    private static readonly DateTimeOffset Received = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static OutboundNotification Notification(string recordId, DateTimeOffset? version, string type = "Opportunity") =>
        new(TestIds.New("04l"), type, recordId, [new SoapField("Id", recordId)], version, null);

    [Test]
    public void Should_keep_only_the_newest_new_notification_per_record()
    {
        var id = TestIds.New("006");
        var newer = Notification(id, Received.AddMinutes(-1));
        var older = Notification(id, Received.AddMinutes(-5));
        var redelivered = Notification(id, Received);
        var account = Notification(TestIds.New("001"), Received, "Account");

        var chosen = OutboundBatching.LatestPerRecord([newer, older, redelivered, account],
            new HashSet<string> { newer.NotificationId, older.NotificationId, account.NotificationId }, Received);

        Assert.That(chosen["Opportunity"], Is.EqualTo(new[] { newer }), "older loses; the redelivered one was stored before");
        Assert.That(chosen["Account"], Is.EqualTo(new[] { account }));
    }

    [Test]
    public void Should_keep_the_first_notification_on_a_tie_as_the_mirror_keeps_an_equal_version()
    {
        var id = TestIds.New("006");
        var first = Notification(id, Received.AddMinutes(-1));
        var second = Notification(id, Received.AddMinutes(-1));
        var chosen = OutboundBatching.LatestPerRecord([first, second], new HashSet<string> { first.NotificationId, second.NotificationId }, Received);
        Assert.That(chosen["Opportunity"].Single(), Is.SameAs(first), "an equal version is the same state sent twice: not newer, so not taken");
    }
}
