using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PipelineCoach.ServiceDefaults.Data;
using PipelineCoach.Sync.History;
using PipelineCoach.Sync.Mirror;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Reconciliation;

public sealed record ReconcileResult(bool Ran, int Records, int Changes, int Deletes, int HistoryRows, bool InitialLoad);

/// <summary>
/// Salesforce is the source of truth; webhooks are only the fast path. Each run reads what changed since the
/// per-object watermark (SOQL by <c>SystemModstamp</c> with an overlap), the deletes since the last check
/// (<c>getDeleted</c>), and new <c>OpportunityHistory</c> rows, and repairs the mirror — publishing only what is
/// actually newer than what the mirror holds. One instance runs at a time (advisory lock).
/// </summary>
public sealed partial class Reconciler(
    ISalesforceApi api,
    NpgsqlDataSource dataSource,
    UnitOfWorkFactory unitOfWork,
    SyncRunStore runs,
    InitialLoader initialLoader,
    IOptions<ReconcileOptions> options,
    IOptions<SalesforceOrgOptions> org,
    TimeProvider time,
    ILogger<Reconciler> logger)
{
    private const long ReconcileLockKey = 0x5043_5245_434F_4E43; // "PCRECONC"
    private const string Opportunity = "Opportunity";
    private const string OpportunityHistory = "OpportunityHistory";
    private const string OpportunityFieldHistory = "OpportunityFieldHistory";

    public async Task<ReconcileResult> RunAsync(CancellationToken cancellationToken)
    {
        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await lockConnection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(@key)", new { key = ReconcileLockKey }, cancellationToken: cancellationToken)))
        {
            return new ReconcileResult(false, 0, 0, 0, 0, false);
        }

        var runId = await runs.StartRunAsync("reconcile", time.GetUtcNow(), cancellationToken);
        int records = 0, changes = 0, deletes = 0, historyRows = 0;
        var initialLoad = false;
        try
        {
            changes += await RefetchAsync(cancellationToken);
            var watermark = await runs.GetWatermarkAsync(Opportunity, cancellationToken);
            if (watermark.Value is null && options.Value.InitialLoadWhenEmpty)
            {
                var loaded = await initialLoader.LoadAsync(cancellationToken);
                (records, changes, initialLoad) = (loaded.Records, changes + loaded.Applied, true);
            }
            else
            {
                var (read, applied) = await ReconcileOpportunitiesAsync(watermark, cancellationToken);
                (records, changes) = (read, changes + applied);
            }

            await ReconcileObjectsAsync("User", MirrorTable.Users,
                "Id, Name, FirstName, LastName, Email, ManagerId, TimeZoneSidKey, IsActive, LastModifiedDate, SystemModstamp",
                (work, written, _) => work.PublishManyAsync([.. written.Select(u => (Guid.CreateVersion7(), MirrorEvents.UserChanged(u, OrganizationId)))], cancellationToken),
                cancellationToken);
            await ReconcileObjectsAsync("OpportunityContactRole", MirrorTable.ContactRoles,
                "Id, OpportunityId, ContactId, Role, IsPrimary, IsDeleted, LastModifiedDate, SystemModstamp",
                AnnounceContactRolesAsync, cancellationToken);
            historyRows = await ReconcileHistoryAsync(cancellationToken) + await ReconcileFieldHistoryAsync(cancellationToken);
            deletes = await ReconcileDeletesAsync(cancellationToken);
            await runs.FinishRunAsync(runId, time.GetUtcNow(), "succeeded", records, changes, deletes, null);
            LogRun(logger, records, changes, deletes, historyRows);
            return new ReconcileResult(true, records, changes, deletes, historyRows, initialLoad);
        }
        catch (Exception ex)
        {
            await runs.FinishRunAsync(runId, time.GetUtcNow(), "failed", records, changes, deletes, ex.Message);
            throw;
        }
        finally
        {
            await lockConnection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = ReconcileLockKey });
        }
    }

    private async Task<(int Records, int Changes)> ReconcileOpportunitiesAsync(Watermark watermark, CancellationToken cancellationToken)
    {
        var since = watermark.Value is { } value ? value - options.Value.Overlap : DateTimeOffset.UnixEpoch;
        var soql = $"SELECT {string.Join(", ", options.Value.OpportunityFields)} FROM Opportunity " +
                   $"WHERE SystemModstamp > {SoqlDateTime(since)} ORDER BY SystemModstamp, Id";
        int records = 0, changes = 0;
        await foreach (var page in PagesAsync(soql, cancellationToken))
        {
            var snapshots = page.Select(SalesforceRecords.Fields).ToList();
            records += snapshots.Count;
            changes += await ConflictRetry.RunAsync(
                token => ApplySnapshotsAsync(snapshots, served: null, saveWatermark: true, token), time, logger, "Reconcile page", cancellationToken);
        }

        return (records, changes);
    }

    /// <summary>
    /// Serves gap events: named opportunities are re-read by id now; a whole object (GAP_OVERFLOW) or another object's
    /// records lose their watermark, so this run reads them again in full (Bulk initial load for opportunities).
    /// No transaction is open while Salesforce is called: the run's advisory lock is the claim (one reconciler at a
    /// time, released if its instance dies), the requests are read without locks, and each chunk's records are applied
    /// together with the requests they served in one short transaction (<see cref="RefetchRequests"/>).
    /// </summary>
    private async Task<int> RefetchAsync(CancellationToken cancellationToken)
    {
        var applied = 0;
        foreach (var group in (await RefetchRequests.PendingAsync(dataSource, cancellationToken)).GroupBy(r => r.ObjectName, StringComparer.Ordinal))
        {
            if (group.Key != Opportunity || group.Any(r => r.RecordId == RefetchRequests.WholeObject))
            {
                await ConflictRetry.RunAsync(async token =>
                {
                    await using var work = await unitOfWork.BeginAsync(token);
                    await RefetchRequests.DoneAsync(work, group, token);
                    await work.Connection.ExecuteAsync(new CommandDefinition(
                        "DELETE FROM sync_watermarks WHERE object_name = @objectName", new { objectName = group.Key }, work.Transaction, cancellationToken: token));
                    await work.CommitAsync(token);
                    return 0;
                }, time, logger, "Refetch of a whole object", cancellationToken);
                continue;
            }

            foreach (var chunk in group.OrderBy(r => r.RecordId, StringComparer.Ordinal).Chunk(200))
            {
                var ids = chunk.Select(r => r.RecordId).Where(id => id.Length == 18).ToArray();
                var snapshots = new List<Dictionary<string, JsonElement>>();
                if (ids.Length > 0)
                {
                    var soql = $"SELECT {string.Join(", ", options.Value.OpportunityFields)} FROM Opportunity WHERE Id IN ('{string.Join("','", ids)}')";
                    await foreach (var page in PagesAsync(soql, cancellationToken))
                    {
                        snapshots.AddRange(page.Select(SalesforceRecords.Fields));
                    }
                }

                applied += await ConflictRetry.RunAsync(
                    token => ApplySnapshotsAsync(snapshots, chunk, saveWatermark: false, token), time, logger, "Refetch chunk", cancellationToken);
            }
        }

        return applied;
    }

    /// <summary>
    /// Applies opportunity snapshots in one short transaction, locking in the one order (<see cref="MirrorLockOrder"/>):
    /// the served refetch requests, then the opportunities by id. Returns how many were newer and applied.
    /// </summary>
    private async Task<int> ApplySnapshotsAsync(List<Dictionary<string, JsonElement>> snapshots, IEnumerable<RefetchRequest>? served,
        bool saveWatermark, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (served is not null)
        {
            await RefetchRequests.DoneAsync(work, served, cancellationToken);
        }

        var ordered = snapshots.OrderBy(SalesforceRecords.Id, StringComparer.Ordinal).ToList();
        await OpportunityStore.LockManyAsync(work.Connection, work.Transaction, MirrorLockOrder.Ids(ordered.Select(SalesforceRecords.Id)), cancellationToken);
        var applied = 0;
        foreach (var fields in ordered)
        {
            var version = SalesforceRecords.SystemModstamp(fields);
            var change = new MirrorChange(SalesforceRecords.Id(fields), fields, [], MirrorVersion.Snapshot(version), version, "reconcile", "SNAPSHOT");
            applied += await MirrorWriter.ApplyAsync(work, change, OrganizationId, cancellationToken) ? 1 : 0;
        }

        if (saveWatermark && ordered.Count > 0)
        {
            await SyncRunStore.SaveWatermarkAsync(work.Connection, work.Transaction, Opportunity, ordered.Max(SalesforceRecords.SystemModstamp), null, cancellationToken);
        }

        await work.CommitAsync(cancellationToken);
        return applied;
    }

    /// <summary>Reconciles a mirrored object (User, contact roles) by its own watermark; returns the rows written.</summary>
    private async Task<int> ReconcileObjectsAsync(string objectName, MirrorTable table, string fields,
        Func<UnitOfWork, List<MirroredObject>, CancellationToken, Task> announce, CancellationToken cancellationToken)
    {
        var watermark = await runs.GetWatermarkAsync(objectName, cancellationToken);
        var since = watermark.Value is { } value ? value - options.Value.Overlap : DateTimeOffset.UnixEpoch;
        var soql = $"SELECT {fields} FROM {objectName} WHERE SystemModstamp > {SoqlDateTime(since)} ORDER BY SystemModstamp, Id";
        var total = 0;
        await foreach (var page in PagesAsync(soql, cancellationToken))
        {
            var snapshots = page.Select(SalesforceRecords.Fields).ToList();
            if (snapshots.Count == 0)
            {
                continue;
            }

            total += await ConflictRetry.RunAsync(async token =>
            {
                await using var work = await unitOfWork.BeginAsync(token);
                if (table == MirrorTable.ContactRoles)
                {
                    // Lock order (MirrorLockOrder): the opportunities these roles republish before the roles themselves.
                    await OpportunityStore.LockManyAsync(work.Connection, work.Transaction, MirrorLockOrder.Ids(snapshots
                        .Select(s => SalesforceRecords.Text(s.GetValueOrDefault("OpportunityId")) is { } v && SalesforceId.TryNormalize(v, out var id) ? id : null)
                        .OfType<string>()), token);
                }

                var ids = MirrorLockOrder.Ids(snapshots.Select(SalesforceRecords.Id));
                var existing = await MirroredObjectStore.LockManyAsync(work.Connection, work.Transaction, table, ids, token);
                var changed = new List<MirroredObject>();
                foreach (var snapshot in snapshots)
                {
                    var id = SalesforceRecords.Id(snapshot);
                    var version = MirrorVersion.Snapshot(SalesforceRecords.SystemModstamp(snapshot));
                    existing.TryGetValue(id, out var record);
                    if (!MirrorVersion.IsNewer(record?.Version, version))
                    {
                        continue;
                    }

                    record ??= new MirroredObject { Id = id };
                    record.Version = version;
                    record.Apply(snapshot.Select(f => (f.Key, SalesforceRecords.Text(f.Value))));
                    changed.Add(record);
                }

                var written = await MirroredObjectStore.SaveManyAsync(work.Connection, work.Transaction, table, changed, token);
                var writtenRecords = changed.Where(r => written.Contains(r.Id)).ToList();
                await announce(work, writtenRecords, token);
                await SyncRunStore.SaveWatermarkAsync(work.Connection, work.Transaction, objectName, snapshots.Max(SalesforceRecords.SystemModstamp), null, token);
                await work.CommitAsync(token);
                return writtenRecords.Count;
            }, time, logger, $"Reconcile page of {objectName}", cancellationToken);
        }

        return total;
    }

    /// <summary>Republishes each affected opportunity with its contact roles as they now stand.</summary>
    private async Task AnnounceContactRolesAsync(UnitOfWork work, List<MirroredObject> roles, CancellationToken cancellationToken)
    {
        var opportunityIds = roles.Select(r => r.Id18("OpportunityId")).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (opportunityIds.Length == 0)
        {
            return;
        }

        var opportunities = await OpportunityStore.LockManyAsync(work.Connection, work.Transaction, opportunityIds, cancellationToken);
        var contactRoles = await ContactRoleQueries.ForOpportunitiesAsync(work, [.. opportunities.Keys], cancellationToken);
        var now = time.GetUtcNow();
        await work.PublishManyAsync(
            [.. opportunities.Values.Where(o => !o.IsDeleted).Select(o => (Guid.CreateVersion7(), OpportunityEvents.Changed(
                o, OrganizationId, "reconcile", "UPDATE", ["ContactRoles"], new Dictionary<string, string?>(), now, isOwnWrite: false) with
            {
                ContactRoles = contactRoles.GetValueOrDefault(o.Id) ?? [],
            }))],
            cancellationToken);
    }

    private async Task<int> ReconcileHistoryAsync(CancellationToken cancellationToken)
    {
        var watermark = await runs.GetWatermarkAsync(OpportunityHistory, cancellationToken);
        var since = watermark.Value is { } value ? value - options.Value.Overlap : DateTimeOffset.UnixEpoch;
        var soql = "SELECT Id, OpportunityId, StageName, CloseDate, PrevCloseDate, Amount, CreatedDate, SystemModstamp " +
                   $"FROM OpportunityHistory WHERE SystemModstamp > {SoqlDateTime(since)} ORDER BY SystemModstamp, Id";
        return await ApplyHistoryPagesAsync(soql, OpportunityHistory, HistoryStore.UpsertAsync, SalesforceRecords.SystemModstamp, cancellationToken);
    }

    /// <summary>
    /// Field history rows are never edited, so <c>CreatedDate</c> is their watermark (the object has no
    /// <c>SystemModstamp</c>); only the followed date fields are read. The watermark is kept per set of followed
    /// fields, so a field followed later is read from the start of its history, not from where the others got to.
    /// </summary>
    private async Task<int> ReconcileFieldHistoryAsync(CancellationToken cancellationToken)
    {
        var fields = options.Value.FollowedDateFieldNames;
        if (fields.Count == 0)
        {
            return 0;
        }

        var watermarkName = $"{OpportunityFieldHistory}({string.Join(',', fields.Order(StringComparer.OrdinalIgnoreCase))})";
        var watermark = await runs.GetWatermarkAsync(watermarkName, cancellationToken);
        var since = watermark.Value is { } value ? value - options.Value.Overlap : DateTimeOffset.UnixEpoch;
        var soql = "SELECT Id, OpportunityId, Field, OldValue, NewValue, CreatedDate FROM OpportunityFieldHistory " +
                   $"WHERE Field IN ('{string.Join("','", fields)}') AND CreatedDate > {SoqlDateTime(since)} ORDER BY CreatedDate, Id";
        return await ApplyHistoryPagesAsync(soql, watermarkName, HistoryStore.UpsertFieldRowsAsync, CreatedDate, cancellationToken);

        static DateTimeOffset CreatedDate(Dictionary<string, JsonElement> fields) =>
            fields.TryGetValue("CreatedDate", out var v) && SalesforceDateTime.TryParse(v.GetString(), out var created) ? created : default;
    }

    /// <summary>Stores each page of history rows, re-derives the summaries of the opportunities they touch and moves the watermark, in one transaction.</summary>
    private async Task<int> ApplyHistoryPagesAsync(string soql, string objectName,
        Func<UnitOfWork, IReadOnlyList<Dictionary<string, JsonElement>>, CancellationToken, Task<IReadOnlyCollection<string>>> upsert,
        Func<Dictionary<string, JsonElement>, DateTimeOffset> stamp, CancellationToken cancellationToken)
    {
        var rows = 0;
        await foreach (var page in PagesAsync(soql, cancellationToken))
        {
            var history = page.Select(SalesforceRecords.Fields).ToList();
            rows += history.Count;
            await ConflictRetry.RunAsync(async token =>
            {
                await using var work = await unitOfWork.BeginAsync(token);
                var affected = MirrorLockOrder.Ids(await upsert(work, history, token));
                await OpportunityStore.LockManyAsync(work.Connection, work.Transaction, affected, token);
                foreach (var opportunityId in affected)
                {
                    var summary = OpportunityHistoryDeriver.Derive(
                        await HistoryStore.RowsAsync(work, opportunityId, token),
                        await HistoryStore.FieldRowsAsync(work, opportunityId, token),
                        options.Value.FollowedDateFieldNames);
                    await MirrorWriter.ApplyHistoryAsync(work, opportunityId, summary, OrganizationId, time.GetUtcNow(), token);
                }

                var newest = history.Select(stamp).DefaultIfEmpty().Max();
                await SyncRunStore.SaveWatermarkAsync(work.Connection, work.Transaction, objectName, newest == default ? null : newest, null, token);
                await work.CommitAsync(token);
                return affected.Length;
            }, time, logger, $"Reconcile page of {objectName}", cancellationToken);
        }

        return rows;
    }

    private async Task<int> ReconcileDeletesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var watermark = await runs.GetWatermarkAsync(Opportunity, cancellationToken);
        // getDeleted only looks back 15 days; earlier than that we start at the limit (and say so).
        var oldest = now.AddDays(-15).AddMinutes(5);
        var start = watermark.DeletesCheckedUntil ?? now.AddDays(-1);
        if (start < oldest)
        {
            LogDeleteWindowTruncated(logger, start, oldest);
            start = oldest;
        }

        // Salesforce counts the window in whole minutes and wants more than one of them; a delete in the current
        // minute is reported once that minute is over.
        start = TruncateToMinute(start);
        var end = TruncateToMinute(now);
        if (end - start < TimeSpan.FromMinutes(1))
        {
            return 0;
        }

        var deleted = await api.GetDeletedAsync(Opportunity, SoqlDateTime(start), SoqlDateTime(end), cancellationToken);
        var covered = SalesforceDateTime.TryParse(deleted.LatestDateCovered, out var latest) ? latest : now;
        return await ConflictRetry.RunAsync(async token =>
        {
            var count = 0;
            await using var work = await unitOfWork.BeginAsync(token);
            var records = deleted.Records.OrderBy(r => SalesforceId.Normalize(r.Id), StringComparer.Ordinal).ToList();
            await OpportunityStore.LockManyAsync(work.Connection, work.Transaction, MirrorLockOrder.Ids(records.Select(r => SalesforceId.Normalize(r.Id))), token);
            foreach (var record in records)
            {
                var version = SalesforceDateTime.TryParse(record.DeletedDate, out var at) ? at : now;
                var change = new MirrorChange(SalesforceId.Normalize(record.Id), new Dictionary<string, JsonElement>(), [], MirrorVersion.Snapshot(version), version,
                    "reconcile", "DELETE", IsDelete: true);
                if (await MirrorWriter.ApplyAsync(work, change, OrganizationId, token))
                {
                    count++;
                }
            }

            await SyncRunStore.SaveWatermarkAsync(work.Connection, work.Transaction, Opportunity, null, covered, token);
            await work.CommitAsync(token);
            return count;
        }, time, logger, "Reconcile of deletes", cancellationToken);
    }

    private async IAsyncEnumerable<List<JsonElement>> PagesAsync(string soql, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = await api.QueryAsync(soql, cancellationToken);
        while (true)
        {
            yield return page.Records;
            if (page.Done || page.NextRecordsUrl is null)
            {
                yield break;
            }

            page = await api.NextPageAsync(page.NextRecordsUrl.TrimStart('/'), cancellationToken);
        }
    }

    private string OrganizationId => SalesforceId.Normalize(org.Value.OrganizationId);

    private static DateTimeOffset TruncateToMinute(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    /// <summary>SOQL/REST date-time literal (whole seconds, UTC).</summary>
    public static string SoqlDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation read {Records} opportunities ({Changes} newer), {Deletes} deletes, {HistoryRows} history rows")]
    private static partial void LogRun(ILogger logger, int records, int changes, int deletes, int historyRows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deletes were last checked at {Start}, before getDeleted's 15-day window ({Oldest}); deletes in between may be missed until a full reconcile")]
    private static partial void LogDeleteWindowTruncated(ILogger logger, DateTimeOffset start, DateTimeOffset oldest);
}
