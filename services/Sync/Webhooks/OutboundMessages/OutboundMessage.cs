namespace PipelineCoach.Sync.Webhooks.OutboundMessages;

/// <summary>One field of a notification's sObject; <see cref="Value"/> is null for <c>xsi:nil="true"</c>.</summary>
internal readonly record struct SoapField(string Name, string? Value);

/// <summary>
/// One <c>Notification</c>: its id (the de-duplication key), the sObject type and id, and the fields the outbound
/// message definition selected. Ids in <see cref="Fields"/> (the <c>Id</c> field and every <c>…Id</c> reference)
/// are already in their 18-character form.
/// </summary>
internal sealed record OutboundNotification(
    string NotificationId,
    string ObjectType,
    string RecordId,
    SoapField[] Fields,
    DateTimeOffset? SystemModstamp,
    DateTimeOffset? LastModifiedDate)
{
    /// <summary>The record version used to discard older snapshots: <c>SystemModstamp</c>, else <c>LastModifiedDate</c>.</summary>
    public DateTimeOffset? Version => SystemModstamp ?? LastModifiedDate;

    public string? this[string field]
    {
        get
        {
            foreach (var f in Fields)
            {
                if (string.Equals(f.Name, field, StringComparison.Ordinal))
                {
                    return f.Value;
                }
            }

            return null;
        }
    }
}

/// <summary>A parsed SOAP 1.1 outbound message (the <c>notifications</c> element).</summary>
internal sealed record OutboundMessage(
    string OrganizationId,
    string ActionId,
    bool HasSessionId,
    string? EnterpriseUrl,
    string? PartnerUrl,
    IReadOnlyList<OutboundNotification> Notifications);
