using System.Globalization;
using System.Security;
using System.Text;
using PipelineCoach.Testing;

namespace PipelineCoach.Sync.Tests.OutboundMessages;

/// <summary>One notification to put in an envelope: its id, sObject type and fields (null = xsi:nil).</summary>
internal sealed record Note(string NotificationId, string ObjectType, IReadOnlyList<(string Name, string? Value)> Fields)
{
    public string RecordId => Fields.First(f => f.Name == "Id").Value!;
}

/// <summary>SOAP 1.1 outbound-message envelopes in the shape of reference §1 (Salesforce's WSDL element order).</summary>
internal static class Envelopes
{
    public const string OrganizationId = "00D000000000001EAA";
    public const string ActionId = "04k000000000001AAA";
    public static readonly DateTimeOffset Modstamp = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    /// <summary>
    /// Pinned from reference §1: one Opportunity notification, SessionId nil, fields in the sf namespace, a 15-character
    /// AccountId, a custom field and a nil field.
    /// </summary>
    public const string SingleOpportunity =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
            xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
         <soapenv:Body>
          <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
           <OrganizationId>00D000000000001EAA</OrganizationId>
           <ActionId>04k000000000001AAA</ActionId>
           <SessionId xsi:nil="true"/>
           <EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/62.0/00D000000000001</EnterpriseUrl>
           <PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/62.0/00D000000000001</PartnerUrl>
           <Notification>
            <Id>04l000000000001AAA</Id>
            <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
             <sf:Id>006000000000001AAA</sf:Id>
             <sf:AccountId>a0D30000001n7Pi</sf:AccountId>
             <sf:Amount>125000.5</sf:Amount>
             <sf:CloseDate>2026-12-31</sf:CloseDate>
             <sf:IsClosed>false</sf:IsClosed>
             <sf:LastModifiedById>005000000000001AAA</sf:LastModifiedById>
             <sf:LastModifiedDate>2026-11-25T09:30:00.000Z</sf:LastModifiedDate>
             <sf:Name>Acme &amp; Co — renewal</sf:Name>
             <sf:NextStep xsi:nil="true"/>
             <sf:OwnerId>005000000000002AAA</sf:OwnerId>
             <sf:Qualification_Score__c>72.0</sf:Qualification_Score__c>
             <sf:StageName>Proposal</sf:StageName>
             <sf:SystemModstamp>2026-11-25T09:30:01.000Z</sf:SystemModstamp>
            </sObject>
           </Notification>
          </notifications>
         </soapenv:Body>
        </soapenv:Envelope>
        """;

    public static Note Opportunity(string? id = null, DateTimeOffset? modstamp = null, string stage = "Prospecting", params (string, string?)[] extra) =>
        new(TestIds.New("04l"), "Opportunity",
        [
            ("Id", id ?? TestIds.New("006")),
            ("Name", "Test opportunity"),
            ("StageName", stage),
            ("Amount", "50000"),
            ("CloseDate", "2026-12-31"),
            ("OwnerId", "005000000000002AAA"),
            ("SystemModstamp", Timestamp(modstamp ?? Modstamp)),
            .. extra,
        ]);

    public static Note Account(string? id = null, DateTimeOffset? modstamp = null, string name = "Acme") =>
        new(TestIds.New("04l"), "Account",
            [("Id", id ?? TestIds.New("001")), ("Name", name), ("OwnerId", "005000000000002AAA"), ("Industry", "Manufacturing"),
             ("Region__c", "EMEA"), ("SystemModstamp", Timestamp(modstamp ?? Modstamp))]);

    public static Note User(string? id = null, DateTimeOffset? modstamp = null, string? managerId = "005000000000003AAA") =>
        new(TestIds.New("04l"), "User",
            [("Id", id ?? TestIds.New("005")), ("Name", "Dana Rep"), ("Email", "dana@example.com"), ("ManagerId", managerId),
             ("TimeZoneSidKey", "Europe/Berlin"), ("IsActive", "true"), ("SystemModstamp", Timestamp(modstamp ?? Modstamp))]);

    public static Note ContactRole(string opportunityId, string role = "Economic Buyer", DateTimeOffset? modstamp = null) =>
        new(TestIds.New("04l"), "OpportunityContactRole",
            [("Id", TestIds.New("00k")), ("OpportunityId", opportunityId), ("ContactId", TestIds.New("003")), ("Role", role),
             ("IsPrimary", "true"), ("SystemModstamp", Timestamp(modstamp ?? Modstamp))]);

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>An envelope as Salesforce writes it: soapenv/sf prefixes, WSDL order, nil SessionId.</summary>
    public static string Message(IEnumerable<Note> notes, string organizationId = OrganizationId, string actionId = ActionId)
    {
        var xml = new StringBuilder(
            $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
             <soapenv:Body>
              <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
               <OrganizationId>{organizationId}</OrganizationId>
               <ActionId>{actionId}</ActionId>
               <SessionId xsi:nil="true"/>
               <EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/62.0/{organizationId[..15]}</EnterpriseUrl>
               <PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/62.0/{organizationId[..15]}</PartnerUrl>

            """);
        foreach (var note in notes)
        {
            xml.Append(CultureInfo.InvariantCulture, $"   <Notification>\n    <Id>{note.NotificationId}</Id>\n");
            xml.Append(CultureInfo.InvariantCulture, $"    <sObject xsi:type=\"sf:{note.ObjectType}\" xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">\n");
            foreach (var (name, value) in note.Fields)
            {
                xml.Append(value is null
                    ? $"     <sf:{name} xsi:nil=\"true\"/>\n"
                    : $"     <sf:{name}>{SecurityElement.Escape(value)}</sf:{name}>\n");
            }

            xml.Append("    </sObject>\n   </Notification>\n");
        }

        xml.Append("  </notifications>\n </soapenv:Body>\n</soapenv:Envelope>\n");
        return xml.ToString();
    }

    public static string Message(params Note[] notes) => Message((IEnumerable<Note>)notes);

    /// <summary>An external entity pointing at <paramref name="path"/>, referenced from a field (XXE).</summary>
    public static string ExternalEntity(string path) =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE soapenv:Envelope [ <!ENTITY xxe SYSTEM "file://{path}"> ]>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
         <soapenv:Body>
          <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
           <OrganizationId>{OrganizationId}</OrganizationId>
           <ActionId>{ActionId}</ActionId>
           <Notification>
            <Id>04l000000000009AAA</Id>
            <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
             <sf:Id>006000000000009AAA</sf:Id>
             <sf:Name>&xxe;</sf:Name>
            </sObject>
           </Notification>
          </notifications>
         </soapenv:Body>
        </soapenv:Envelope>
        """;

    /// <summary>The classic exponential entity expansion ("billion laughs").</summary>
    public static string BillionLaughs()
    {
        var entities = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (var i = 1; i <= 9; i++)
        {
            entities.Append(CultureInfo.InvariantCulture, $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">");
        }

        return $"""
            <?xml version="1.0"?>
            <!DOCTYPE lolz [ {entities} ]>
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
             <soapenv:Body>
              <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
               <OrganizationId>{OrganizationId}</OrganizationId>
               <ActionId>{ActionId}</ActionId>
               <Notification>
                <Id>04l000000000008AAA</Id>
                <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
                 <sf:Id>006000000000008AAA</sf:Id>
                 <sf:Name>&lol9;</sf:Name>
                </sObject>
               </Notification>
              </notifications>
             </soapenv:Body>
            </soapenv:Envelope>
            """;
    }
}
