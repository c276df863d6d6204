using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.ServiceDefaults.Data;
using PipelineCoach.ServiceDefaults.Messaging;
using PipelineCoach.Sync.Mirror;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Webhooks.OutboundMessages;

/// <summary>What one outbound message did.</summary>
internal sealed record OutboundIngestResult(int Notifications, int Duplicates, int Applied, int Stale);

/// <summary>
/// Stores an outbound message and applies it to the mirror in one transaction, publishing through the outbox.
/// Returns only once committed, so the SOAP Ack is sent only for durable notifications. Every step is one statement
/// for the whole message (insert notifications, lock rows, upsert rows, write outbox), never one per notification.
/// </summary>
internal sealed class OutboundMessageIngestor(
    UnitOfWorkFactory unitOfWork,
    IOptions<OutboundMessageOptions> options,
    TimeProvider time,
    ILogger<OutboundMessageIngestor> logger)
{
    public const string Source = "outbound-message";

    private readonly string? _integrationUserId =
        SalesforceId.TryNormalize(options.Value.IntegrationUserId, out var user) ? user : null;

    /// <summary>
    /// Two messages upserting the same new records can still deadlock on their inserts; the transaction rolled back
    /// as a whole, so it is run again (<see cref="ConflictRetry"/>), which is cheaper than a Salesforce retry.
    /// </summary>
    public Task<OutboundIngestResult> IngestAsync(OutboundMessage message, CancellationToken cancellationToken) =>
        ConflictRetry.RunAsync(token => IngestOnceAsync(message, token), time, logger, "Outbound message", cancellationToken);

    private async Task<OutboundIngestResult> IngestOnceAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var receivedAt = time.GetUtcNow();
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var fresh = await StoreNotificationsAsync(work, message, receivedAt, cancellationToken);
        var latest = OutboundBatching.LatestPerRecord(message.Notifications, fresh, receivedAt);
        var outbox = new OutboxBatch();
        var applied = 0;
        // One lock order on every mirror writer (MirrorLockOrder): every opportunity this message touches (its own
        // and those its contact roles republish) first, in id order; then contact roles, accounts and users.
        await OpportunityStore.LockManyAsync(work.Connection, work.Transaction, OpportunitiesTouched(latest), cancellationToken);
        foreach (var objectType in ApplyOrder)
        {
            if (!latest.TryGetValue(objectType, out var notifications))
            {
                continue;
            }

            applied += objectType switch
            {
                OutboundMessageParser.Opportunity => await ApplyOpportunitiesAsync(work, message.OrganizationId, notifications, receivedAt, outbox, cancellationToken),
                OutboundMessageParser.Account => await ApplyAccountsAsync(work, message.OrganizationId, notifications, receivedAt, outbox, cancellationToken),
                OutboundMessageParser.User => await ApplyUsersAsync(work, message.OrganizationId, notifications, receivedAt, outbox, cancellationToken),
                _ => await ApplyContactRolesAsync(work, message.OrganizationId, notifications, receivedAt, outbox, cancellationToken),
            };
        }

        await outbox.WriteAsync(work, cancellationToken);
        await work.CommitAsync(cancellationToken);

        var candidates = latest.Sum(l => l.Value.Count);
        return new OutboundIngestResult(message.Notifications.Count, message.Notifications.Count - fresh.Count, applied, candidates - applied);
    }

    /// <summary>Object types in lock order (<see cref="MirrorLockOrder"/>).</summary>
    private static readonly string[] ApplyOrder =
        [OutboundMessageParser.Opportunity, OutboundMessageParser.OpportunityContactRole, OutboundMessageParser.Account, OutboundMessageParser.User];

    private static string[] OpportunitiesTouched(Dictionary<string, List<OutboundNotification>> latest) => MirrorLockOrder.Ids(
        latest.GetValueOrDefault(OutboundMessageParser.Opportunity, []).Select(n => n.RecordId)
            .Concat(latest.GetValueOrDefault(OutboundMessageParser.OpportunityContactRole, [])
                .Select(n => n["OpportunityId"] is { } value && SalesforceId.TryNormalize(value, out var id) ? id : null).OfType<string>()));

    /// <summary>Inserts every notification row; returns the ids that were new (the rest are redeliveries).</summary>
    private static async Task<HashSet<string>> StoreNotificationsAsync(UnitOfWork work, OutboundMessage message, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(message.Notifications.Count * 1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var n in message.Notifications.OrderBy(n => n.NotificationId, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("notification_id", n.NotificationId);
                json.WriteString("object_type", n.ObjectType);
                json.WriteString("record_id", n.RecordId);
                json.WriteStartObject("fields");
                foreach (var (name, value) in n.Fields)
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
                if (n.Version is { } version)
                {
                    json.WriteString("source_version", version.UtcDateTime);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        var inserted = await work.Connection.QueryAsync<string>(new CommandDefinition(
            """
            INSERT INTO outbound_notifications (notification_id, organization_id, action_id, object_type, record_id,
                fields, source_version, received_at)
            SELECT r.notification_id, @organizationId, @actionId, r.object_type, r.record_id, r.fields, r.source_version, @receivedAt
            FROM jsonb_to_recordset(@rows::jsonb) AS r(notification_id text, object_type text, record_id text,
                fields jsonb, source_version timestamptz)
            ON CONFLICT (notification_id) DO NOTHING
            RETURNING notification_id
            """,
            new
            {
                organizationId = message.OrganizationId,
                actionId = message.ActionId,
                receivedAt = receivedAt.UtcDateTime,
                rows = Encoding.UTF8.GetString(buffer.WrittenSpan),
            },
            work.Transaction,
            cancellationToken: cancellationToken));
        return inserted.ToHashSet(StringComparer.Ordinal);
    }

    private async Task<int> ApplyOpportunitiesAsync(UnitOfWork work, string organizationId, List<OutboundNotification> notifications,
        DateTimeOffset receivedAt, OutboxBatch outbox, CancellationToken cancellationToken)
    {
        var ids = notifications.Select(n => n.RecordId).ToArray();
        var existing = await OpportunityStore.LockManyAsync(work.Connection, work.Transaction, ids, cancellationToken);
        var changes = new List<(OutboundNotification Notification, OpportunityRecord Record, OpportunitySnapshot? Before, Dictionary<string, string?>? Previous)>();
        foreach (var n in notifications)
        {
            var version = MirrorVersion.Snapshot(n.Version ?? receivedAt);
            existing.TryGetValue(n.RecordId, out var stored);
            if (!MirrorVersion.IsNewer(stored?.Version, version))
            {
                continue; // an older or identical snapshot arriving late never overwrites what we hold
            }

            var before = stored?.ToSnapshot();
            var previous = stored?.KeyValues();
            var record = stored ?? new OpportunityRecord { Id = n.RecordId };
            record.Version = version;
            record.IsDeleted = false; // a newer snapshot of a record means it exists (an undelete, if it was deleted)
            foreach (var (name, value) in n.Fields)
            {
                record.ApplyText(name, value);
            }

            changes.Add((n, record, before, previous));
        }

        if (changes.Count == 0)
        {
            return 0;
        }

        var written = await OpportunityStore.SaveManyAsync(work.Connection, work.Transaction, changes.Select(c => c.Record), cancellationToken);
        var roles = await ContactRoleQueries.ForOpportunitiesAsync(work, [.. written], cancellationToken);
        foreach (var (n, record, before, previous) in changes)
        {
            if (!written.Contains(record.Id))
            {
                continue;
            }

            var changeType = before is null ? "CREATE" : "UPDATE";
            var changedFields = OutboundBatching.ChangedFields(n, before, record.ToSnapshot());
            var occurredAt = record.LastModifiedDate ?? record.SystemModstamp ?? receivedAt;
            outbox.Add(OpportunityEvents.Changed(record, organizationId, Source, changeType, changedFields,
                previous ?? new Dictionary<string, string?>(), occurredAt, IsOwnWrite(n)) with
            {
                ContactRoles = roles.TryGetValue(record.Id, out var r) ? r : [],
            });
        }

        return written.Count;
    }

    private async Task<int> ApplyAccountsAsync(UnitOfWork work, string organizationId, List<OutboundNotification> notifications,
        DateTimeOffset receivedAt, OutboxBatch outbox, CancellationToken cancellationToken)
    {
        var written = await ApplyObjectsAsync(work, MirrorTable.Accounts, notifications, receivedAt, cancellationToken);
        foreach (var account in written)
        {
            outbox.Add(MirrorEvents.AccountChanged(account, organizationId));
        }

        return written.Count;
    }

    private async Task<int> ApplyUsersAsync(UnitOfWork work, string organizationId, List<OutboundNotification> notifications,
        DateTimeOffset receivedAt, OutboxBatch outbox, CancellationToken cancellationToken)
    {
        var written = await ApplyObjectsAsync(work, MirrorTable.Users, notifications, receivedAt, cancellationToken);
        foreach (var user in written)
        {
            outbox.Add(MirrorEvents.UserChanged(user, organizationId));
        }

        return written.Count;
    }

    /// <summary>
    /// Contact roles feed scoring through <see cref="OpportunityChanged.ContactRoles"/>, so a changed role republishes
    /// its (already mirrored) opportunity with the roles as they now stand, at the opportunity's own version.
    /// </summary>
    private async Task<int> ApplyContactRolesAsync(UnitOfWork work, string organizationId, List<OutboundNotification> notifications,
        DateTimeOffset receivedAt, OutboxBatch outbox, CancellationToken cancellationToken)
    {
        var written = await ApplyObjectsAsync(work, MirrorTable.ContactRoles, notifications, receivedAt, cancellationToken);
        var opportunityIds = written.Select(r => r.Id18("OpportunityId")).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (opportunityIds.Length == 0)
        {
            return written.Count;
        }

        var opportunities = await OpportunityStore.LockManyAsync(work.Connection, work.Transaction, opportunityIds, cancellationToken);
        var roles = await ContactRoleQueries.ForOpportunitiesAsync(work, [.. opportunities.Keys], cancellationToken);
        foreach (var opportunity in opportunities.Values.Where(o => !o.IsDeleted))
        {
            var occurredAt = written.Select(r => r.Timestamp("LastModifiedDate") ?? r.SourceVersion).Max();
            outbox.Add(OpportunityEvents.Changed(opportunity, organizationId, Source, "UPDATE", ["ContactRoles"],
                new Dictionary<string, string?>(), occurredAt, notifications.All(IsOwnWrite)) with
            {
                ContactRoles = roles.TryGetValue(opportunity.Id, out var r) ? r : [],
            });
        }

        return written.Count;
    }

    /// <summary>Merges each newer snapshot onto the locked row and upserts them all; returns the rows written.</summary>
    private static async Task<List<MirroredObject>> ApplyObjectsAsync(UnitOfWork work, MirrorTable table, List<OutboundNotification> notifications,
        DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var ids = notifications.Select(n => n.RecordId).ToArray();
        var existing = await MirroredObjectStore.LockManyAsync(work.Connection, work.Transaction, table, ids, cancellationToken);
        var changed = new List<MirroredObject>(notifications.Count);
        foreach (var n in notifications)
        {
            var version = MirrorVersion.Snapshot(n.Version ?? receivedAt);
            existing.TryGetValue(n.RecordId, out var record);
            if (!MirrorVersion.IsNewer(record?.Version, version))
            {
                continue;
            }

            record ??= new MirroredObject { Id = n.RecordId };
            record.Version = version;
            record.Apply(n.Fields.Select(f => (f.Name, f.Value)));
            changed.Add(record);
        }

        var written = await MirroredObjectStore.SaveManyAsync(work.Connection, work.Transaction, table, changed, cancellationToken);
        return changed.Where(r => written.Contains(r.Id)).ToList();
    }

    /// <summary>Our write-backs run as the integration user, so its edits come back as echoes of our own writes.</summary>
    private bool IsOwnWrite(OutboundNotification notification) =>
        _integrationUserId is not null && string.Equals(notification["LastModifiedById"], _integrationUserId, StringComparison.Ordinal);
}

/// <summary>Pure decisions of the ingestion: which notifications to apply and what they changed.</summary>
internal static class OutboundBatching
{
    /// <summary>
    /// Groups the new notifications by object type, keeping per record only the newest (by <c>SystemModstamp</c>,
    /// else <c>LastModifiedDate</c>, else arrival, by <see cref="MirrorVersion.IsNewer"/>); on a tie the first one is
    /// kept, since an equal version is the same state sent twice.
    /// </summary>
    public static Dictionary<string, List<OutboundNotification>> LatestPerRecord(
        IReadOnlyList<OutboundNotification> notifications, IReadOnlySet<string> fresh, DateTimeOffset receivedAt)
    {
        var newest = new Dictionary<string, OutboundNotification>(StringComparer.Ordinal);
        foreach (var n in notifications)
        {
            if (!fresh.Contains(n.NotificationId))
            {
                continue;
            }

            if (!newest.TryGetValue(n.RecordId, out var held)
                || MirrorVersion.IsNewer(MirrorVersion.Snapshot(held.Version ?? receivedAt), MirrorVersion.Snapshot(n.Version ?? receivedAt)))
            {
                newest[n.RecordId] = n;
            }
        }

        var result = new Dictionary<string, List<OutboundNotification>>(StringComparer.Ordinal);
        foreach (var n in newest.Values.OrderBy(n => n.RecordId, StringComparer.Ordinal))
        {
            if (!result.TryGetValue(n.ObjectType, out var list))
            {
                result[n.ObjectType] = list = [];
            }

            list.Add(n);
        }

        return result;
    }

    /// <summary>The notification's fields whose mirrored value differs from before (all of them for a new record).</summary>
    public static IReadOnlyList<string> ChangedFields(OutboundNotification notification, OpportunitySnapshot? before, OpportunitySnapshot after)
    {
        var changed = new List<string>(notification.Fields.Length);
        foreach (var field in notification.Fields)
        {
            if (field.Name == "Id")
            {
                continue;
            }

            if (before is null || FieldText(before, field.Name) != FieldText(after, field.Name))
            {
                changed.Add(field.Name);
            }
        }

        return changed;
    }

    private static string? FieldText(OpportunitySnapshot s, string name) => name switch
    {
        "Name" => s.Name,
        "AccountId" => s.AccountId,
        "OwnerId" => s.OwnerId,
        "StageName" => s.StageName,
        "Amount" => s.Amount?.ToString(CultureInfo.InvariantCulture),
        "Probability" => s.Probability?.ToString(CultureInfo.InvariantCulture),
        "CloseDate" => s.CloseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "ForecastCategoryName" => s.ForecastCategoryName,
        "NextStep" => s.NextStep,
        "LastActivityDate" => s.LastActivityDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "IsClosed" => Text(s.IsClosed),
        "IsWon" => Text(s.IsWon),
        "CreatedDate" => s.CreatedDate?.ToString("O", CultureInfo.InvariantCulture),
        "LastModifiedDate" => s.LastModifiedDate?.ToString("O", CultureInfo.InvariantCulture),
        "SystemModstamp" => s.SystemModstamp?.ToString("O", CultureInfo.InvariantCulture),
        _ => s.CustomFields.GetValueOrDefault(name),
    };

    private static string? Text(bool? value) => value switch { true => "true", false => "false", null => null };
}
