using Dapper;
using Microsoft.Extensions.Options;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.ServiceDefaults.Data;
using PipelineCoach.Sync.Mirror;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Webhooks;

/// <summary>What one change-event delivery did.</summary>
public sealed record IngestResult(int Events, int DuplicateEvents, int RecordsApplied, int StaleRecords, bool DuplicateDelivery);

/// <summary>
/// Stores a delivery of change events and applies them to the mirror in one transaction, publishing
/// <see cref="OpportunityChanged"/>/<see cref="OpportunityDeleted"/> through the outbox. Returns only once committed,
/// so the webhook is acknowledged only after the events are durable.
/// </summary>
public sealed class ChangeEventIngestor(
    UnitOfWorkFactory unitOfWork,
    IOptions<SalesforceOrgOptions> org,
    Reconciliation.ReconcileTrigger reconcile,
    TimeProvider time,
    ILogger<ChangeEventIngestor> logger)
{
    /// <summary>Writes tagged with <c>Sforce-Call-Options: client=pipeline-coach</c> come back with this in changeOrigin.</summary>
    public const string OwnClientId = "client=pipeline-coach";

    /// <summary>A delivery that still hits a lock conflict rolled back whole and is ingested again (<see cref="ConflictRetry"/>).</summary>
    public async Task<IngestResult> IngestAsync(string webhookId, IReadOnlyList<ChangeEvent> events, CancellationToken cancellationToken)
    {
        var (result, refetch) = await ConflictRetry.RunAsync(
            token => IngestOnceAsync(webhookId, events, token), time, logger, "Change-event delivery", cancellationToken);
        if (refetch)
        {
            reconcile.Request();
        }

        return result;
    }

    private async Task<(IngestResult Result, bool Refetch)> IngestOnceAsync(string webhookId, IReadOnlyList<ChangeEvent> events, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var firstDelivery = await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO webhook_deliveries (webhook_id, endpoint, event_count) VALUES (@webhookId, 'change-events', @count)
            ON CONFLICT DO NOTHING
            """,
            new { webhookId, count = events.Count },
            work.Transaction,
            cancellationToken: cancellationToken)) == 1;
        if (!firstDelivery)
        {
            return (new IngestResult(events.Count, events.Count, 0, 0, DuplicateDelivery: true), false);
        }

        int duplicates = 0, applied = 0, stale = 0;
        var refetch = false;
        var changes = new List<(string Id, int Order, ChangeEvent Change)>();
        foreach (var change in events)
        {
            if (!await StoreRawAsync(work, webhookId, change, cancellationToken))
            {
                duplicates++;
                continue;
            }

            if (change.Header.IsGap)
            {
                // The change itself was not delivered: re-read those records (or, after GAP_OVERFLOW, the whole object).
                await Reconciliation.RefetchRequests.AddAsync(work, change.Header.EntityName,
                    change.Header.ChangeType == "GAP_OVERFLOW" ? ["*"] : change.Header.RecordIds, cancellationToken);
                refetch = true;
                continue;
            }

            if (change.Header.EntityName != "Opportunity")
            {
                // Other entities and gap events are kept durably for the reconciler; the mirror applies opportunities.
                continue;
            }

            foreach (var id in change.Header.RecordIds.Where(id => id.Length == 18))
            {
                changes.Add((id, changes.Count, change));
            }
        }

        // Records in id order, as every mirror writer locks them (MirrorLockOrder); each record's changes in delivery order.
        var ordered = changes.OrderBy(c => c.Id, StringComparer.Ordinal).ThenBy(c => c.Order).ToList();
        await OpportunityStore.LockManyAsync(work.Connection, work.Transaction, MirrorLockOrder.Ids(ordered.Select(c => c.Id)), cancellationToken);
        foreach (var (id, _, change) in ordered)
        {
            if (await ApplyAsync(work, id, change, cancellationToken))
            {
                applied++;
            }
            else
            {
                stale++;
            }
        }

        await work.CommitAsync(cancellationToken);
        return (new IngestResult(events.Count, duplicates, applied, stale, DuplicateDelivery: false), refetch);
    }

    private static async Task<bool> StoreRawAsync(UnitOfWork work, string webhookId, ChangeEvent change, CancellationToken cancellationToken)
    {
        var header = change.Header;
        return await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO change_events (transaction_key, sequence_number, entity_name, change_type, record_ids,
                commit_timestamp, change_origin, payload, webhook_id)
            VALUES (@TransactionKey, @SequenceNumber, @EntityName, @ChangeType, @RecordIds, @CommitTimestamp,
                @ChangeOrigin, @Payload::jsonb, @webhookId)
            ON CONFLICT DO NOTHING
            """,
            new
            {
                header.TransactionKey,
                header.SequenceNumber,
                header.EntityName,
                header.ChangeType,
                RecordIds = header.RecordIds.ToArray(),
                header.CommitTimestamp,
                header.ChangeOrigin,
                Payload = change.RawJson,
                webhookId,
            },
            work.Transaction,
            cancellationToken: cancellationToken)) == 1;
    }

    private Task<bool> ApplyAsync(UnitOfWork work, string id, ChangeEvent change, CancellationToken cancellationToken)
    {
        var header = change.Header;
        return MirrorWriter.ApplyAsync(work, new MirrorChange(
                id, change.Fields, header.NulledFields, MirrorVersion.Change(header.CommitTimestamp, header.SequenceNumber), header.CommitTimestamp, "webhook", header.ChangeType,
                header.ChangedFields.Count > 0 ? header.ChangedFields : null,
                IsDelete: header.ChangeType == "DELETE",
                IsOwnWrite: header.ChangeOrigin?.Contains(OwnClientId, StringComparison.Ordinal) == true),
            SalesforceId.Normalize(org.Value.OrganizationId),
            cancellationToken);
    }
}
