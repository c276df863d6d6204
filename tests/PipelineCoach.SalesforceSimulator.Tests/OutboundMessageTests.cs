using System.Xml.Linq;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.SalesforceSimulator.Org;
using PipelineCoach.SalesforceSimulator.OutboundMessages;

namespace PipelineCoach.SalesforceSimulator.Tests;

internal sealed class When_formatting_outbound_messages
{
    private static readonly XNamespace Om = SoapEnvelope.OutboundNamespace;

    [Test]
    public void Should_write_the_documented_envelope()
    {
        var xml = SoapEnvelope.Write(
            "00DDn000000000AEAA", "04kDn0000000001AAA", null, new Uri("https://acme.my.salesforce.com/"),
            [new SoapEnvelope.NotificationContent("04lDn0000000001AAA", "Opportunity",
                [("Id", FieldValue.OfId("006", 5)), ("StageName", FieldValue.Of("Proposal/Price Quote")), ("NextStep", FieldValue.Null),
                 ("CloseDate", FieldValue.OfDate(new DateOnly(2026, 6, 30))), ("Amount", FieldValue.OfDouble(125000.5))])]);

        Assert.That(xml, Is.EqualTo(
            """
            <?xml version="1.0" encoding="utf-8"?>
            <soapenv:Envelope xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
             <soapenv:Body>
              <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
               <OrganizationId>00DDn000000000AEAA</OrganizationId>
               <ActionId>04kDn0000000001AAA</ActionId>
               <SessionId xsi:nil="true" />
               <EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/62.0/00DDn000000000A</EnterpriseUrl>
               <PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/62.0/00DDn000000000A</PartnerUrl>
               <Notification>
                <Id>04lDn0000000001AAA</Id>
                <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
                 <sf:Id>006Dn0000000005IAA</sf:Id>
                 <sf:StageName>Proposal/Price Quote</sf:StageName>
                 <sf:CloseDate>2026-06-30</sf:CloseDate>
                 <sf:Amount>125000.5</sf:Amount>
                </sObject>
               </Notification>
              </notifications>
             </soapenv:Body>
            </soapenv:Envelope>
            """));
    }

    [Test]
    public void Should_pin_the_acknowledgement()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SoapEnvelope.Ack, Is.EqualTo(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">\n <soapenv:Body>\n  <notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\"><Ack>true</Ack></notificationsResponse>\n </soapenv:Body>\n</soapenv:Envelope>"));
            Assert.That(SoapEnvelope.IsAck(SoapEnvelope.Ack), Is.True);
            Assert.That(SoapEnvelope.IsAck(SoapEnvelope.Ack.Replace("true", "false", StringComparison.Ordinal)), Is.False);
            Assert.That(SoapEnvelope.IsAck(SoapEnvelope.Ack.Replace("2005/09/outbound", "2005/09/other", StringComparison.Ordinal)), Is.False);
            Assert.That(SoapEnvelope.IsAck("<ok/>"), Is.False);
            Assert.That(SoapEnvelope.IsAck("<!DOCTYPE x [<!ENTITY a 'b'>]>" + SoapEnvelope.Ack[38..]), Is.False);
        });
    }

    [Test]
    public void Should_back_off_exponentially_up_to_two_hours()
    {
        var options = new OutboundMessageOptions();
        var intervals = Enumerable.Range(1, 12).Select(n => OutboundMessageDispatcher.RetryInterval(options, n).TotalSeconds);

        Assert.That(intervals, Is.EqualTo(new double[] { 30, 60, 120, 240, 480, 960, 1920, 3840, 7200, 7200, 7200, 7200 }));
    }
}

internal sealed class When_delivering_outbound_messages : SimulatorFixture
{
    private static readonly XNamespace Om = SoapEnvelope.OutboundNamespace;
    private static readonly XNamespace Sf = SoapEnvelope.SObjectNamespace;
    private static readonly XNamespace Xsi = SoapEnvelope.XsiNamespace;
    private TestReceiver receiver = null!;

    protected override int Opportunities => 600;

    protected override void Configure(SimulatorOptions options)
    {
        options.TimeScale = 0.001;
        options.OutboundMessages.Lifetime = TimeSpan.FromHours(2);
    }

    [OneTimeSetUp]
    public async Task StartReceiverAsync()
    {
        receiver = await TestReceiver.StartAsync();
        Host.OutboundMessages.EndpointUrl = receiver.Url;
    }

    [OneTimeTearDown]
    public async Task StopReceiverAsync() => await receiver.DisposeAsync();

    [SetUp]
    public void AckEverything() => receiver.Respond = _ => (200, SoapEnvelope.Ack);

    private static string Opp(int row) => SalesforceIds.Create("006", row);

    private static List<XElement> Notifications(ReceivedRequest request) =>
        [.. XDocument.Parse(request.Body).Descendants(Om + "Notification")];

    private static string RecordId(XElement notification) => notification.Element(Om + "sObject")!.Element(Sf + "Id")!.Value;

    private List<(ReceivedRequest Request, XElement Notification)> Received(params string[] ids) =>
        [.. receiver.Requests.SelectMany(r => Notifications(r).Select(n => (r, n))).Where(x => ids.Contains(RecordId(x.n)))];

    private async Task UpdateAsync(IEnumerable<int> rows, string field, string json)
    {
        var records = string.Join(",", rows.Select(r => $$"""{"attributes":{"type":"Opportunity"},"id":"{{Opp(r)}}","{{field}}":{{json}}}"""));
        using var response = await Client.PatchAsync("services/data/v62.0/composite/sobjects", $$"""{"allOrNone":false,"records":[{{records}}]}""");
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task Should_post_a_soap_envelope_with_only_the_chosen_fields()
    {
        await UpdateAsync([60], "NextStep", "\"Send the proposal\"");
        await Poll.UntilAsync(() => Received(Opp(60)).Count > 0, "the outbound message");
        var (request, notification) = Received(Opp(60))[0];
        var document = XDocument.Parse(request.Body);
        var notifications = document.Root!.Element(XName.Get("Body", SoapEnvelope.SoapNamespace))!.Element(Om + "notifications")!;
        var sObject = notification.Element(Om + "sObject")!;
        var notificationId = notification.Element(Om + "Id")!.Value;

        Assert.Multiple(() =>
        {
            Assert.That(request.Headers["content-type"], Does.StartWith("text/xml"));
            Assert.That(request.Headers, Does.ContainKey("soapaction"));
            Assert.That(notifications.Elements().Select(e => e.Name.LocalName).Take(5),
                Is.EqualTo(new[] { "OrganizationId", "ActionId", "SessionId", "EnterpriseUrl", "PartnerUrl" }));
            Assert.That(notifications.Element(Om + "OrganizationId")!.Value, Is.EqualTo(Host.Org.OrganizationId));
            Assert.That(notifications.Element(Om + "ActionId")!.Value, Does.StartWith("04k"));
            Assert.That(notifications.Element(Om + "SessionId")!.Attribute(Xsi + "nil")!.Value, Is.EqualTo("true"));
            Assert.That(notificationId, Does.StartWith("04l").And.Length.EqualTo(18));
            Assert.That(SalesforceIds.HasValidChecksum(notificationId), Is.True);
            Assert.That(sObject.Attribute(Xsi + "type")!.Value, Is.EqualTo("sf:Opportunity"));
            Assert.That(sObject.Elements().Select(e => e.Name.LocalName), Is.SubsetOf(Host.Options.OutboundMessages.Fields));
            Assert.That(sObject.Elements().First().Name, Is.EqualTo(Sf + "Id"));
            Assert.That(sObject.Element(Sf + "NextStep")!.Value, Is.EqualTo("Send the proposal"));
            Assert.That(sObject.Element(Sf + "Qualification_Score__c"), Is.Null);
        });
    }

    [Test]
    public async Task Should_batch_at_most_100_notifications_with_unique_ids()
    {
        await UpdateAsync(Enumerable.Range(100, 200), "Qualification_Score__c", "10");
        await UpdateAsync(Enumerable.Range(300, 50), "Qualification_Score__c", "10");
        var ids = Enumerable.Range(100, 250).Select(Opp).ToArray();
        await Poll.UntilAsync(() => Received(ids).Select(x => RecordId(x.Notification)).Distinct().Count() == 250
            && Host.OutboundMessages.PendingCount == 0, "250 acknowledged notifications");
        var messages = receiver.Requests.Where(r => Notifications(r).Any(n => ids.Contains(RecordId(n)))).ToList();
        var notificationIds = messages.SelectMany(Notifications).Select(n => n.Element(Om + "Id")!.Value).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(messages.Select(r => Notifications(r).Count), Is.All.InRange(1, 100));
            Assert.That(messages.Max(r => Notifications(r).Count), Is.EqualTo(100));
            Assert.That(notificationIds, Is.Unique);
            Assert.That(notificationIds, Has.Count.EqualTo(250));
        });
    }

    [Test]
    public async Task Should_send_the_latest_values_and_retry_until_a_real_ack()
    {
        var accept = false;
        receiver.Respond = _ => accept ? (200, SoapEnvelope.Ack) : (200, "<ok/>");
        await UpdateAsync([70], "NextStep", "\"first\"");
        await Poll.UntilAsync(() => Received(Opp(70)).Count >= 2, "a retried outbound message");
        var first = Received(Opp(70))[0].Notification.Element(Om + "Id")!.Value;
        await UpdateAsync([70], "NextStep", "\"second\"");

        // The sender is sequential: once the second notification has arrived, every later message was built
        // after the second update.
        await Poll.UntilAsync(() => Received(Opp(70)).Any(x => x.Notification.Element(Om + "Id")!.Value != first), "the second notification");
        var before = receiver.Requests.Count;
        accept = true;
        await Poll.UntilAsync(() => Host.OutboundMessages.PendingCount == 0, "both notifications to be acknowledged");
        var later = receiver.Requests.Skip(before).SelectMany(Notifications).Where(n => RecordId(n) == Opp(70)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(later.Select(n => n.Element(Om + "sObject")!.Element(Sf + "NextStep")!.Value), Is.All.EqualTo("second"));
            Assert.That(later.Select(n => n.Element(Om + "Id")!.Value).Distinct().Count(), Is.EqualTo(2));
            Assert.That(Received(Opp(70)).Count(x => x.Notification.Element(Om + "Id")!.Value == first), Is.GreaterThanOrEqualTo(3));
        });
    }

    [Test]
    public async Task Should_drop_notifications_after_their_lifetime()
    {
        receiver.Respond = _ => (500, "boom");
        var dropped = Host.OutboundMessages.DroppedCount;
        await UpdateAsync([80], "NextStep", "\"never delivered\"");

        await Poll.UntilAsync(() => Host.OutboundMessages.DroppedCount == dropped + 1, "the notification to be dropped", timeoutSeconds: 30);

        Assert.Multiple(() =>
        {
            Assert.That(Host.OutboundMessages.PendingCount, Is.Zero);
            Assert.That(Received(Opp(80)), Has.Count.GreaterThan(3));
        });
    }

    [Test]
    public async Task Should_duplicate_and_reorder_deliveries_when_told()
    {
        Host.Faults.DuplicateDeliveries = true;
        Host.Faults.ReorderDeliveries = true;
        await UpdateAsync([90, 91, 92, 93], "NextStep", "\"dup\"");
        var ids = new[] { Opp(90), Opp(91), Opp(92), Opp(93) };
        await Poll.UntilAsync(() => Host.OutboundMessages.PendingCount == 0 && Received(ids).Count >= 8, "duplicated deliveries");
        var received = Received(ids);

        Assert.Multiple(() =>
        {
            Assert.That(received.GroupBy(x => x.Notification.Element(Om + "Id")!.Value).Select(g => g.Count()), Is.All.EqualTo(2));
            Assert.That(RecordId(received[0].Notification), Is.EqualTo(Opp(93)));
        });
    }
}
