using System.Text.Json;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Sync.Mirror;

/// <summary>One change to apply to an opportunity, from whichever source learned of it.</summary>
/// <param name="Version">A snapshot's or a change event's version, ordered by <see cref="MirrorVersion"/>.</param>
public sealed record MirrorChange(
    string Id,
    IReadOnlyDictionary<string, JsonElement> Fields,
    IReadOnlyList<string> NulledFields,
    MirrorVersion Version,
    DateTimeOffset OccurredAt,
    string Source,
    string ChangeType,
    IReadOnlyList<string>? ChangedFields = null,
    bool IsDelete = false,
    bool IsOwnWrite = false);

/// <summary>
/// Applies changes to the opportunity mirror inside a unit of work and publishes what happened through its outbox.
/// Only a change newer than the stored row (<see cref="MirrorVersion.IsNewer"/>) is applied and published.
/// </summary>
public static class MirrorWriter
{
    /// <summary>Returns true when the change was newer and applied (and an event was published).</summary>
    public static async Task<bool> ApplyAsync(UnitOfWork work, MirrorChange change, string organizationId, CancellationToken cancellationToken)
    {
        var existing = await OpportunityStore.LockAsync(work.Connection, work.Transaction, change.Id, cancellationToken);
        if (!MirrorVersion.IsNewer(existing?.Version, change.Version))
        {
            return false;
        }

        if (change.IsDelete && (existing is null || existing.IsDeleted))
        {
            // Nothing mirrored to delete, or already deleted: remember the tombstone version without announcing it twice.
            var tombstone = existing ?? new OpportunityRecord { Id = change.Id };
            tombstone.IsDeleted = true;
            tombstone.Version = change.Version;
            await OpportunityStore.SaveAsync(work.Connection, work.Transaction, tombstone, cancellationToken);
            return false;
        }

        var record = existing ?? new OpportunityRecord { Id = change.Id };
        var previous = existing is null ? new Dictionary<string, string?>() : record.KeyValues();
        record.Version = change.Version;
        record.IsDeleted = change.IsDelete;
        record.Apply(change.Fields, change.NulledFields);
        if (!await OpportunityStore.SaveAsync(work.Connection, work.Transaction, record, cancellationToken))
        {
            return false;
        }

        if (change.IsDelete)
        {
            await work.PublishAsync(OpportunityEvents.Deleted(change.Id, organizationId, change.Source, change.Version.At), cancellationToken);
        }
        else
        {
            var changed = change.ChangedFields is { Count: > 0 } listed ? listed : [.. change.Fields.Keys.Where(k => k != "attributes")];
            var changedEvent = OpportunityEvents.Changed(record, organizationId, change.Source,
                existing is null || existing.IsDeleted ? (change.ChangeType == "UPDATE" ? "UPDATE" : "CREATE") : change.ChangeType,
                changed, previous, change.OccurredAt, change.IsOwnWrite);
            await work.PublishAsync(changedEvent with
            {
                ContactRoles = await ContactRoleQueries.ForOpportunityAsync(work, record.Id, cancellationToken),
            }, cancellationToken);
        }

        return true;
    }

    /// <summary>Stores a newly derived history summary and announces it when it differs from the one held.</summary>
    public static async Task<bool> ApplyHistoryAsync(UnitOfWork work, string opportunityId, OpportunityHistorySummary summary,
        string organizationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = await OpportunityStore.LockAsync(work.Connection, work.Transaction, opportunityId, cancellationToken);
        if (record is null || record.IsDeleted || SameSummary(record.History, summary))
        {
            return false;
        }

        record.History = summary;
        await OpportunityStore.SaveHistoryAsync(work.Connection, work.Transaction, record.Id, summary, cancellationToken);
        await work.PublishAsync(OpportunityEvents.Changed(record, organizationId, "reconcile", "SNAPSHOT", ["History"],
            new Dictionary<string, string?>(), now, isOwnWrite: false) with
        {
            ContactRoles = await ContactRoleQueries.ForOpportunityAsync(work, record.Id, cancellationToken),
        }, cancellationToken);
        return true;
    }

    private static bool SameSummary(OpportunityHistorySummary? a, OpportunityHistorySummary b) =>
        a is not null && JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b);
}
