using System.Security;
using System.Text;

namespace PipelineCoach.Sync.Webhooks.OutboundMessages;

/// <summary>The SOAP bodies the outbound-message endpoint answers with.</summary>
internal static class SoapResponses
{
    public const string ContentType = "text/xml; charset=utf-8";

    /// <summary>The acknowledgement exactly as reference §1 gives it; anything else makes Salesforce retry.</summary>
    public const string Ack =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
         <soapenv:Body>
          <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>
         </soapenv:Body>
        </soapenv:Envelope>
        """;

    public static readonly byte[] AckBytes = Encoding.UTF8.GetBytes(Ack);

    /// <summary>
    /// A SOAP 1.1 fault. <paramref name="client"/> faults mean the message itself is refused (wrong org, malformed,
    /// too large); server faults mean we could not store it and Salesforce should retry.
    /// </summary>
    public static string Fault(bool client, string reason) =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
         <soapenv:Body>
          <soapenv:Fault><faultcode>soapenv:{(client ? "Client" : "Server")}</faultcode><faultstring>{SecurityElement.Escape(reason)}</faultstring></soapenv:Fault>
         </soapenv:Body>
        </soapenv:Envelope>
        """;
}
