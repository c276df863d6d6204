using System.Text;
using System.Xml;
using PipelineCoach.SalesforceSimulator.Org;

namespace PipelineCoach.SalesforceSimulator.OutboundMessages;

/// <summary>The SOAP 1.1 outbound-message envelope and its acknowledgement (reference §1).</summary>
public static class SoapEnvelope
{
    public const string SoapNamespace = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string OutboundNamespace = "http://soap.sforce.com/2005/09/outbound";
    public const string SObjectNamespace = "urn:sobject.enterprise.soap.sforce.com";
    public const string XsdNamespace = "http://www.w3.org/2001/XMLSchema";
    public const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>The exact acknowledgement a receiver must return (HTTP 200).</summary>
    public const string Ack =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
         <soapenv:Body>
          <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>
         </soapenv:Body>
        </soapenv:Envelope>
        """;

    public sealed record NotificationContent(string NotificationId, string ObjectType, IReadOnlyList<(string Field, FieldValue Value)> Fields);

    public static string Write(
        string organizationId,
        string actionId,
        string? sessionId,
        Uri instanceUrl,
        IReadOnlyList<NotificationContent> notifications)
    {
        ArgumentNullException.ThrowIfNull(instanceUrl);
        ArgumentNullException.ThrowIfNull(notifications);
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = " " };
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("soapenv", "Envelope", SoapNamespace);
            xml.WriteAttributeString("xmlns", "xsd", null, XsdNamespace);
            xml.WriteAttributeString("xmlns", "xsi", null, XsiNamespace);
            xml.WriteStartElement("soapenv", "Body", SoapNamespace);
            xml.WriteStartElement("notifications", OutboundNamespace);
            xml.WriteElementString("OrganizationId", OutboundNamespace, organizationId);
            xml.WriteElementString("ActionId", OutboundNamespace, actionId);
            xml.WriteStartElement("SessionId", OutboundNamespace);
            if (sessionId is null)
            {
                xml.WriteAttributeString("xsi", "nil", XsiNamespace, "true");
            }
            else
            {
                xml.WriteString(sessionId);
            }

            xml.WriteEndElement();
            var root = instanceUrl.ToString().TrimEnd('/');
            xml.WriteElementString("EnterpriseUrl", OutboundNamespace, $"{root}/services/Soap/c/62.0/{organizationId[..15]}");
            xml.WriteElementString("PartnerUrl", OutboundNamespace, $"{root}/services/Soap/u/62.0/{organizationId[..15]}");
            foreach (var notification in notifications)
            {
                xml.WriteStartElement("Notification", OutboundNamespace);
                xml.WriteElementString("Id", OutboundNamespace, notification.NotificationId);
                xml.WriteStartElement("sObject", OutboundNamespace);
                xml.WriteAttributeString("xsi", "type", XsiNamespace, "sf:" + notification.ObjectType);
                xml.WriteAttributeString("xmlns", "sf", null, SObjectNamespace);
                foreach (var (field, value) in notification.Fields)
                {
                    // Empty fields are omitted, as Salesforce does for null values.
                    if (!value.IsNull)
                    {
                        xml.WriteElementString("sf", field, SObjectNamespace, value.ToInvariantString());
                    }
                }

                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>True only for a well-formed envelope whose <c>notificationsResponse/Ack</c> is <c>true</c>.</summary>
    public static bool IsAck(string body)
    {
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true };
            using var reader = XmlReader.Create(new StringReader(body), settings);
            if (!reader.ReadToFollowing("Envelope", SoapNamespace) || !reader.ReadToDescendant("Body", SoapNamespace)
                || !reader.ReadToDescendant("notificationsResponse", OutboundNamespace) || !reader.ReadToDescendant("Ack", OutboundNamespace))
            {
                return false;
            }

            return reader.ReadElementContentAsString().Trim() is "true" or "1";
        }
        catch (XmlException)
        {
            return false;
        }
    }
}
