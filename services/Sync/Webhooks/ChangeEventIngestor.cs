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
public sealed class ChangeEventIngestor(UnitOfWorkFactory unitOfWork, IOptions<SalesforceOrgOptions> org)
{
    /// <summary>Writes tagged with <c>Sforce-Call-Options: client=pipeline-coach</c> come back with this in changeOrigin.</summary>
    public const string OwnClientId = "client=pipeline-coach";

    public async Task<IngestResult> IngestAsync(string webhookId, IReadOnlyList<ChangeEvent> events, CancellationToken cancellationToken)
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
            return new IngestResult(events.Count, events.Count, 0, 0, DuplicateDelivery: true);
        }

        int duplicates = 0, applied = 0, stale = 0;
        foreach (var change in events)
        {
            if (!await StoreRawAsync(work, webhookId, change, cancellationToken))
            {
                duplicates++;
                continue;
            }

            if (change.Header.EntityName != "Opportunity" || change.Header.IsGap)
            {
                // Other entities and gap events are kept durably for the reconciler; the mirror applies opportunities.
                continue;
            }

            foreach (var id in change.Header.RecordIds.Where(id => id.Length == 18))
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
        }

        await work.CommitAsync(cancellationToken);
        return new IngestResult(events.Count, duplicates, applied, stale, DuplicateDelivery: false);
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

    private async Task<bool> ApplyAsync(UnitOfWork work, string id, ChangeEvent change, CancellationToken cancellationToken)
    {
        var header = change.Header;
        var version = header.CommitTimestamp;
        var existing = await OpportunityStore.LockAsync(work.Connection, work.Transaction, id, cancellationToken);
        if (existing is not null && existing.SourceVersion > version)
        {
            return false; // an older change arriving late never overwrites newer data
        }

        var record = existing ?? new OpportunityRecord { Id = id };
        var previous = record.KeyValues();
        record.SourceVersion = version;
        record.IsDeleted = header.ChangeType == "DELETE";
        record.Apply(change.Fields, header.NulledFields);

        if (!await OpportunityStore.SaveAsync(work.Connection, work.Transaction, record, cancellationToken))
        {
            return false;
        }

        var organizationId = SalesforceId.Normalize(org.Value.OrganizationId);
        if (record.IsDeleted)
        {
            await work.PublishAsync(new OpportunityDeleted
            {
                OpportunityId = id,
                OrganizationId = organizationId,
                SourceVersion = version,
                OccurredAt = header.CommitTimestamp,
                Source = "webhook",
            }, cancellationToken);
            return true;
        }

        var current = record.KeyValues();
        await work.PublishAsync(new OpportunityChanged
        {
            OpportunityId = id,
            OrganizationId = organizationId,
            SourceVersion = version,
            OccurredAt = header.CommitTimestamp,
            Source = "webhook",
            ChangeType = header.ChangeType,
            ChangedFields = header.ChangedFields.Count > 0 ? header.ChangedFields : [.. change.Fields.Keys],
            IsOwnWrite = header.ChangeOrigin?.Contains(OwnClientId, StringComparison.Ordinal) == true,
            Opportunity = record.ToSnapshot(),
            History = record.History,
            PreviousValues = existing is null
                ? new Dictionary<string, string?>()
                : previous.Where(p => current[p.Key] != p.Value).ToDictionary(p => p.Key, p => p.Value),
        }, cancellationToken);
        return true;
    }
}
