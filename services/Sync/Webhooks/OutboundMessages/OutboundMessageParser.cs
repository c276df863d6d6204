using System.Xml;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Webhooks.OutboundMessages;

/// <summary>The outcome of parsing: a message, or the reason it was refused (for the SOAP fault).</summary>
internal sealed record OutboundMessageParseResult(OutboundMessage? Message, string? Error, bool TooLarge = false)
{
    public bool IsValid => Message is not null;
}

/// <summary>
/// Parses a SOAP 1.1 outbound message with a forward-only, namespace-aware <see cref="XmlReader"/>: no DOM, DTDs
/// prohibited (so no external entities and no entity expansion bombs), no resolver, and a character budget. Pure:
/// it reads a stream and returns either the whole message or one error, never half a batch.
/// </summary>
internal static class OutboundMessageParser
{
    public const string SoapNamespace = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string OutboundNamespace = "http://soap.sforce.com/2005/09/outbound";
    public const string SObjectNamespace = "urn:sobject.enterprise.soap.sforce.com";
    public const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>The WSDL's <c>maxOccurs</c> for <c>Notification</c>.</summary>
    public const int MaxNotifications = 100;

    public const string Opportunity = "Opportunity";
    public const string Account = "Account";
    public const string User = "User";
    public const string OpportunityContactRole = "OpportunityContactRole";

    public static OutboundMessageParseResult Parse(Stream xml, long maxCharacters)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxCharacters,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = false,
        };

        try
        {
            using var reader = XmlReader.Create(xml, settings);
            return new OutboundMessageParseResult(ReadEnvelope(reader), null);
        }
        catch (InvalidMessageException ex)
        {
            return new OutboundMessageParseResult(null, ex.Message);
        }
        catch (XmlException ex) when (ex.Message.Contains("MaxCharactersInDocument", StringComparison.Ordinal))
        {
            return new OutboundMessageParseResult(null, $"The message exceeds the limit of {maxCharacters} characters.", TooLarge: true);
        }
        catch (XmlException ex) when (ex.Message.Contains("DTD", StringComparison.Ordinal))
        {
            return new OutboundMessageParseResult(null, "DTDs and entity declarations are not allowed.");
        }
        catch (XmlException ex)
        {
            return new OutboundMessageParseResult(null, $"Malformed XML: {ex.Message}");
        }
    }

    private static OutboundMessage ReadEnvelope(XmlReader reader)
    {
        if (reader.MoveToContent() != XmlNodeType.Element || !Is(reader, "Envelope", SoapNamespace))
        {
            throw new InvalidMessageException("The body is not a SOAP 1.1 envelope (soapenv:Envelope).");
        }

        OutboundMessage? message = null;
        ReadChildren(reader, r =>
        {
            if (Is(r, "Body", SoapNamespace) && message is null)
            {
                message = ReadBody(r);
                return true;
            }

            return false; // soapenv:Header and anything else are skipped
        });
        return message ?? throw new InvalidMessageException("The envelope has no soapenv:Body.");
    }

    private static OutboundMessage ReadBody(XmlReader reader)
    {
        OutboundMessage? message = null;
        ReadChildren(reader, r =>
        {
            if (Is(r, "notifications", OutboundNamespace) && message is null)
            {
                message = ReadNotifications(r);
                return true;
            }

            return false;
        });
        return message ?? throw new InvalidMessageException(
            $"The body holds no notifications element in namespace {OutboundNamespace}.");
    }

    private static OutboundMessage ReadNotifications(XmlReader reader)
    {
        string? organizationId = null, actionId = null, sessionId = null, enterpriseUrl = null, partnerUrl = null;
        var notifications = new List<OutboundNotification>();
        var fields = new List<SoapField>(32);
        ReadChildren(reader, r =>
        {
            if (r.NamespaceURI != OutboundNamespace)
            {
                return false;
            }

            switch (r.LocalName)
            {
                case "OrganizationId": organizationId = ReadValue(r); return true;
                case "ActionId": actionId = ReadValue(r); return true;
                case "SessionId": sessionId = ReadValue(r); return true;
                case "EnterpriseUrl": enterpriseUrl = ReadValue(r); return true;
                case "PartnerUrl": partnerUrl = ReadValue(r); return true;
                case "Notification":
                    if (notifications.Count == MaxNotifications)
                    {
                        throw new InvalidMessageException($"A message carries at most {MaxNotifications} notifications.");
                    }

                    notifications.Add(ReadNotification(r, fields));
                    return true;
                default:
                    return false;
            }
        });

        if (!SalesforceId.TryNormalize(organizationId, out var org) || !org.StartsWith("00D", StringComparison.Ordinal))
        {
            throw new InvalidMessageException("OrganizationId is missing or is not an org id (00D…).");
        }

        if (!SalesforceId.TryNormalize(actionId, out var action))
        {
            throw new InvalidMessageException("ActionId is missing or is not a Salesforce id.");
        }

        if (notifications.Count == 0)
        {
            throw new InvalidMessageException("The message carries no Notification.");
        }

        return new OutboundMessage(org, action, !string.IsNullOrEmpty(sessionId), enterpriseUrl, partnerUrl, notifications);
    }

    private static OutboundNotification ReadNotification(XmlReader reader, List<SoapField> fields)
    {
        string? notificationId = null;
        string? objectType = null;
        fields.Clear();
        ReadChildren(reader, r =>
        {
            if (r.NamespaceURI != OutboundNamespace)
            {
                return false;
            }

            if (r.LocalName == "Id")
            {
                notificationId = ReadValue(r);
                return true;
            }

            if (r.LocalName == "sObject" && objectType is null)
            {
                objectType = ReadObjectType(r);
                ReadChildren(r, field =>
                {
                    if (field.NamespaceURI != SObjectNamespace)
                    {
                        return false;
                    }

                    var name = field.LocalName;
                    var value = ReadValue(field);
                    if (value is not null && IsIdField(name) && SalesforceId.TryNormalize(value, out var id18))
                    {
                        value = id18; // 15-character ids become 18 at the boundary
                    }

                    fields.Add(new SoapField(name, value));
                    return true;
                });
                return true;
            }

            return false;
        });

        if (!SalesforceId.TryNormalize(notificationId, out var notification))
        {
            throw new InvalidMessageException("A Notification has no valid Id.");
        }

        if (objectType is null)
        {
            throw new InvalidMessageException($"Notification {notification} has no sObject.");
        }

        string? recordId = null;
        DateTimeOffset? modstamp = null, lastModified = null;
        foreach (var (name, value) in fields)
        {
            switch (name)
            {
                case "Id": recordId = value; break;
                case "SystemModstamp": modstamp = SalesforceDateTime.TryParse(value, out var m) ? m : null; break;
                case "LastModifiedDate": lastModified = SalesforceDateTime.TryParse(value, out var l) ? l : null; break;
            }
        }

        if (recordId is not { Length: 18 } || !SalesforceId.TryNormalize(recordId, out _))
        {
            throw new InvalidMessageException($"Notification {notification} has no valid sObject Id.");
        }

        return new OutboundNotification(notification, objectType, recordId, [.. fields], modstamp, lastModified);
    }

    private static string ReadObjectType(XmlReader reader)
    {
        var type = reader.GetAttribute("type", XsiNamespace);
        var colon = type?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        var prefix = colon < 0 ? "" : type![..colon];
        var name = type?[(colon + 1)..];
        if (name is null || reader.LookupNamespace(prefix) != SObjectNamespace)
        {
            throw new InvalidMessageException($"sObject needs an xsi:type in namespace {SObjectNamespace} (e.g. sf:Opportunity).");
        }

        return name switch
        {
            Opportunity => Opportunity,
            Account => Account,
            User => User,
            OpportunityContactRole => OpportunityContactRole,
            _ => throw new InvalidMessageException(
                $"Object type '{name}' is not mirrored; send Opportunity, Account, User or OpportunityContactRole."),
        };
    }

    /// <summary>
    /// Walks the child elements of the element the reader is on. <paramref name="element"/> consumes an element and
    /// returns true, or returns false to have it skipped. Leaves the reader after the parent's end tag.
    /// </summary>
    private static void ReadChildren(XmlReader reader, Func<XmlReader, bool> element)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return;
        }

        var depth = reader.Depth;
        reader.Read();
        while (reader.Depth > depth)
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                if (!element(reader))
                {
                    reader.Skip();
                }
            }
            else if (!reader.Read())
            {
                throw new InvalidMessageException("The document ended early.");
            }
        }

        reader.Read(); // the parent's end tag
    }

    /// <summary>Reads a simple element's text; null for <c>xsi:nil="true"</c>. Leaves the reader after the element.</summary>
    private static string? ReadValue(XmlReader reader)
    {
        var nil = reader.GetAttribute("nil", XsiNamespace);
        if (nil is "true" or "1")
        {
            reader.Skip();
            return null;
        }

        if (reader.IsEmptyElement)
        {
            reader.Read();
            return "";
        }

        return reader.ReadElementContentAsString();
    }

    // The record Id and standard references (AccountId, OwnerId, ManagerId, LastModifiedById…); custom lookups end
    // in __c and cannot be told apart from text without the org's schema, so they are kept as sent.
    private static bool IsIdField(string name) => name.EndsWith("Id", StringComparison.Ordinal);

    private static bool Is(XmlReader reader, string localName, string ns) =>
        reader.LocalName == localName && reader.NamespaceURI == ns;

    private sealed class InvalidMessageException(string message) : Exception(message);
}
