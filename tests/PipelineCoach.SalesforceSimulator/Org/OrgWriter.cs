using System.Globalization;
using System.Text.Json;
using PipelineCoach.SalesforceSimulator.Generation;

namespace PipelineCoach.SalesforceSimulator.Org;

/// <summary>A create (no id) or update of one record, fields as JSON values.</summary>
public sealed record WriteRequest(string Type, string? Id, IReadOnlyDictionary<string, JsonElement> Fields)
{
    public static WriteRequest Of(string type, string? id, IReadOnlyDictionary<string, object?> fields) =>
        new(type, id, fields.ToDictionary(f => f.Key, f => JsonSerializer.SerializeToElement(f.Value, SimulatorJson.Default.Object)));
}

public sealed record WriteOutcome(string? Id, WriteError? Error)
{
    public bool Success => Error is null;
}

/// <summary>
/// Every write goes through here: validation, the overlay write, system fields, OpportunityHistory and OpportunityFieldHistory rows and
/// the change notification to outbound messages and change events.
/// </summary>
public sealed class OrgWriter(SalesforceOrg org, TimeProvider time)
{
    private const int JournalCapacity = 100_000;
    private static readonly HashSet<string> HistoryFields = new(StringComparer.Ordinal) { "StageName", "Amount", "CloseDate", "Probability" };
    private readonly List<IChangeSink> sinks = [];
    private readonly Queue<RecordChange> journal = new();
    private long commitNumber = 1_000_000;
    private long lastCommitMs;

    public SalesforceOrg Org => org;

    public void AddSink(IChangeSink sink)
    {
        lock (org.Sync)
        {
            sinks.Add(sink);
        }
    }

    /// <summary>The most recent committed changes (up to 100,000), oldest first.</summary>
    public IReadOnlyList<RecordChange> Journal()
    {
        lock (org.Sync)
        {
            return [.. journal];
        }
    }

    /// <summary>
    /// Saves records in one transaction. With <paramref name="allOrNone"/> nothing is applied when any record
    /// fails and the others report <c>ALL_OR_NONE_OPERATION_ROLLED_BACK</c>.
    /// </summary>
    public IReadOnlyList<WriteOutcome> Save(
        WriteContext context,
        IReadOnlyList<WriteRequest> requests,
        bool allOrNone = false,
        Func<WriteRequest, bool>? rowLocked = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requests);
        var outcomes = new WriteOutcome[requests.Count];
        lock (org.Sync)
        {
            var prepared = new Prepared?[requests.Count];
            for (var i = 0; i < requests.Count; i++)
            {
                var error = Prepare(requests[i], out prepared[i]);
                if (error is null && rowLocked?.Invoke(requests[i]) == true)
                {
                    error = new WriteError("UNABLE_TO_LOCK_ROW", $"unable to obtain exclusive access to this record or 1 records: {requests[i].Id}", []);
                }

                outcomes[i] = new WriteOutcome(requests[i].Id, error);
            }

            if (allOrNone && outcomes.Any(o => !o.Success))
            {
                for (var i = 0; i < outcomes.Length; i++)
                {
                    outcomes[i] = outcomes[i].Success
                        ? new WriteOutcome(requests[i].Id, new WriteError("ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were valid and the request was using AllOrNone header", []))
                        : outcomes[i];
                }

                return outcomes;
            }

            var now = NextCommitMs();
            var transactionKey = Guid.NewGuid().ToString("N")[..20];
            var changes = new List<RecordChange>();
            for (var i = 0; i < requests.Count; i++)
            {
                if (prepared[i] is { } p && outcomes[i].Success)
                {
                    var change = Apply(p, context, now, transactionKey, changes.Count + 1);
                    outcomes[i] = new WriteOutcome(change.RecordId, null);
                    changes.Add(change);
                }
            }

            Commit(changes);
        }

        return outcomes;
    }

    /// <summary>Soft-deletes a record (recycle bin); shows in <c>/deleted</c> and <c>queryAll</c>.</summary>
    public WriteOutcome Delete(WriteContext context, string type, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        lock (org.Sync)
        {
            var error = Resolve(type, id, out var table, out var row);
            if (error is not null)
            {
                return new WriteOutcome(id, error);
            }

            var now = NextCommitMs();
            table!.MarkDeleted(row, now);
            table.Set(row, table.SystemModstamp, FieldValue.OfDateTime(now));
            var recordId = SalesforceIds.Create(table.KeyPrefix, row);
            Commit([Change(table, row, recordId, ChangeType.Delete, [], [], new Dictionary<string, FieldValue>(), context, now, Guid.NewGuid().ToString("N")[..20], 1)]);
            return new WriteOutcome(recordId, null);
        }
    }

    private long NextCommitMs()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        lastCommitMs = Math.Max(now, lastCommitMs + 1);
        return lastCommitMs;
    }

    private void Commit(List<RecordChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        foreach (var change in changes)
        {
            journal.Enqueue(change);
            if (journal.Count > JournalCapacity)
            {
                journal.Dequeue();
            }
        }

        foreach (var sink in sinks)
        {
            sink.OnCommitted(changes);
        }
    }

    private sealed record Prepared(SObjectTable Table, int Row, List<(FieldDef Field, FieldValue Value)> Values);

    private WriteError? Resolve(string type, string? id, out SObjectTable? table, out int row)
    {
        row = -1;
        table = org.FindTable(type);
        if (table is null)
        {
            return new WriteError("INVALID_TYPE", $"sObject type '{type}' is not supported.", []);
        }

        // History rows are Salesforce's record of changes: read-only, as in the real API.
        if (table is OpportunityHistoryTable or OpportunityFieldHistoryTable)
        {
            return new WriteError("INVALID_TYPE_FOR_OPERATION", $"entity type cannot be updated: {table.Name}", []);
        }

        if (!SalesforceIds.LooksLikeId(id))
        {
            return new WriteError("MALFORMED_ID", $"{table.Name} ID: id value of incorrect type: {id}", ["Id"]);
        }

        if (!SalesforceIds.TryParse(id, out var prefix, out var number) || prefix != table.KeyPrefix || !table.Contains((int)number))
        {
            return new WriteError("NOT_FOUND", "The requested resource does not exist", []);
        }

        row = (int)number;
        return table.IsRowDeleted(row) ? new WriteError("ENTITY_IS_DELETED", "entity is deleted", []) : null;
    }

    private WriteError? Prepare(WriteRequest request, out Prepared? prepared)
    {
        prepared = null;
        SObjectTable? table;
        var row = -1;
        if (request.Id is null)
        {
            table = org.FindTable(request.Type);
            if (table is not (OpportunityTable or TaskTable or ContactRoleTable))
            {
                return new WriteError("INVALID_TYPE", $"The simulator cannot create {request.Type} records (only Opportunity, Task and OpportunityContactRole).", []);
            }
        }
        else
        {
            var error = Resolve(request.Type, request.Id, out table, out row);
            if (error is not null)
            {
                return error;
            }
        }

        var values = new List<(FieldDef, FieldValue)>();
        foreach (var (name, json) in request.Fields)
        {
            if (string.Equals(name, "attributes", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "Id", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var field = table!.FindField(name);
            if (field is null)
            {
                return new WriteError("INVALID_FIELD", $"No such column '{name}' on sobject of type {table.Name}", [name]);
            }

            if (request.Id is null ? !field.Createable : !field.Updateable)
            {
                return new WriteError("INVALID_FIELD_FOR_INSERT_UPDATE", $"Unable to create/update fields: {field.Name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", [field.Name]);
            }

            var conversion = Convert(field, json, out var value);
            if (conversion is not null)
            {
                return conversion;
            }

            values.Add((field, value));
        }

        string[] required = request.Id is not null ? [] : table switch
        {
            OpportunityTable => ["Name", "StageName", "CloseDate"],
            ContactRoleTable => ["OpportunityId", "ContactId"],
            _ => [],
        };
        var missing = request.Id is null
            ? required.Where(f => !values.Any(v => v.Item1.Name == f && !v.Item2.IsNull)).ToList()
            : values.Where(v => v.Item2.IsNull && v.Item1.Name is "Name" or "StageName" or "CloseDate" or "LastName").Select(v => v.Item1.Name).ToList();
        if (missing.Count > 0)
        {
            return new WriteError("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{string.Join(", ", missing)}]", missing);
        }

        prepared = new Prepared(table!, row, values);
        return null;
    }

    private static WriteError? Convert(FieldDef field, JsonElement json, out FieldValue value)
    {
        value = FieldValue.Null;
        if (json.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var ok = field.Type switch
        {
            FieldType.Boolean when json.ValueKind is JsonValueKind.True or JsonValueKind.False => Set(FieldValue.Of(json.GetBoolean()), out value),
            FieldType.Integer when json.ValueKind == JsonValueKind.Number && json.TryGetInt64(out var l) => Set(FieldValue.OfInt(l), out value),
            FieldType.Double or FieldType.Currency or FieldType.Percent when json.ValueKind == JsonValueKind.Number => Set(FieldValue.OfDouble(json.GetDouble()), out value),
            FieldType.Date when json.ValueKind == JsonValueKind.String && DateOnly.TryParseExact(json.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => Set(FieldValue.OfDate(d), out value),
            FieldType.DateTime when json.ValueKind == JsonValueKind.String && SalesforceFormats.TryParseDateTime(json.GetString()!, out var dt) => Set(FieldValue.OfDateTime(dt), out value),
            FieldType.Reference when json.ValueKind == JsonValueKind.String => ParseReference(json.GetString()!, out value),
            FieldType.String or FieldType.Picklist or FieldType.TextArea when json.ValueKind == JsonValueKind.String => Set(FieldValue.Of(json.GetString()), out value),
            _ => false,
        };
        if (!ok)
        {
            return new WriteError("JSON_PARSER_ERROR", $"Cannot deserialize instance of {field.Type.ToString().ToLowerInvariant()} from {json.ValueKind} value {json.GetRawText()} for field {field.Name}", [field.Name]);
        }

        if (field.Type == FieldType.String && value.Text!.Length > 255)
        {
            return new WriteError("STRING_TOO_LONG", $"{field.Name}: data value too large: {value.Text[..20]}... (max length=255)", [field.Name]);
        }

        if (field.Name == "StageName" && StageLadder.Find(value.Text) is null)
        {
            return new WriteError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"Stage: bad value for restricted picklist field: {value.Text}", [field.Name]);
        }

        return null;

        static bool Set(FieldValue v, out FieldValue target)
        {
            target = v;
            return true;
        }

        static bool ParseReference(string id, out FieldValue target)
        {
            target = FieldValue.Null;
            if (!SalesforceIds.TryParse(id, out var prefix, out var number))
            {
                return false;
            }

            target = FieldValue.OfId(prefix, number);
            return true;
        }
    }

    private RecordChange Apply(Prepared p, WriteContext context, long now, string transactionKey, int sequence)
    {
        var table = p.Table;
        var row = p.Row;
        var isCreate = row < 0;
        if (isCreate)
        {
            row = table switch
            {
                OpportunityTable o => o.Rows.Add(new OpportunityRow
                {
                    AccountIndex = -1,
                    OwnerIndex = context.UserIndex,
                    ExecutiveSponsorContact = -1,
                    NextStepText = OpportunityRow.NoNextStep,
                    Amount = double.NaN,
                    DiscountPercent = float.NaN,
                    CreatedMs = now,
                    ModstampMs = now,
                    LastStageChangeMs = now,
                }),
                TaskTable t => t.Rows.Add(new TaskRow { Opportunity = -1, Contact = -1, Owner = context.UserIndex, CreatedMs = now }),
                ContactRoleTable c => c.Rows.Add(new ContactRoleRow { Opportunity = -1, Contact = -1, CreatedBy = context.UserIndex, CreatedMs = now }),
                _ => throw new InvalidOperationException("Unsupported create."),
            };
        }

        var before = isCreate ? null : Snapshot(table, row);
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (field, value) in p.Values)
        {
            table.Set(row, field, value);
            written.Add(field.Name);
        }

        if (table is OpportunityTable opportunities)
        {
            ApplyOpportunityRules(opportunities, row, written, before, now);
        }

        if (table is TaskTable tasks)
        {
            if (written.Contains("Status"))
            {
                tasks.Set(row, tasks.Field("IsClosed"), FieldValue.Of(tasks.Get(row, tasks.Field("Status")).Text == "Completed"));
            }

            UpdateLastActivity(tasks, row);
        }

        if (table.LastModifiedDate is { } lm)
        {
            table.Set(row, lm, FieldValue.OfDateTime(now));
        }

        if (table.LastModifiedById is { } lmb)
        {
            table.Set(row, lmb, FieldValue.OfId(SalesforceIds.User, context.UserIndex));
        }

        table.Set(row, table.SystemModstamp, FieldValue.OfDateTime(now));
        var after = Snapshot(table, row);
        var changed = new List<string>();
        var nulled = new List<string>();
        var values = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        foreach (var field in table.Fields)
        {
            if (field.Index == 0 || !field.InChangeEvents || field.Name is "SystemModstamp" or "IsDeleted")
            {
                continue;
            }

            var old = before?[field.Index] ?? FieldValue.Null;
            var now2 = after[field.Index];
            if (!now2.Equals(old) && (!isCreate || !now2.IsNull))
            {
                changed.Add(field.Name);
                values[field.Name] = now2;
                if (now2.IsNull)
                {
                    nulled.Add(field.Name);
                }
            }
        }

        if (table is OpportunityTable opps && !isCreate && changed.Any(HistoryFields.Contains))
        {
            AppendHistory(opps, row, before!, context.UserIndex, now);
        }
        else if (table is OpportunityTable newOpp && isCreate)
        {
            AppendHistory(newOpp, row, null, context.UserIndex, now);
        }

        if (table is OpportunityTable tracked && !isCreate)
        {
            AppendFieldHistory(tracked, row, before!, changed, context.UserIndex, now);
        }

        return Change(table, row, SalesforceIds.Create(table.KeyPrefix, row), isCreate ? ChangeType.Create : ChangeType.Update,
            changed, nulled, values, context, now, transactionKey, sequence);
    }

    private RecordChange Change(SObjectTable table, int row, string id, ChangeType type, List<string> changed, List<string> nulled,
        Dictionary<string, FieldValue> values, WriteContext context, long now, string transactionKey, int sequence) => new()
    {
        EntityName = table.Name,
        RecordId = id,
        Row = row,
        ChangeType = type,
        ChangedFields = changed,
        NulledFields = nulled,
        Values = values,
        ChangeOrigin = context.ChangeOrigin,
        TransactionKey = transactionKey,
        SequenceNumber = sequence,
        CommitTimestampMs = now,
        CommitNumber = ++commitNumber,
        CommitUserId = SalesforceIds.Create(SalesforceIds.User, context.UserIndex),
    };

    private static FieldValue[] Snapshot(SObjectTable table, int row)
    {
        var values = new FieldValue[table.Fields.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = table.Get(row, i);
        }

        return values;
    }

    private static void ApplyOpportunityRules(OpportunityTable table, int row, HashSet<string> written, FieldValue[]? before, long now)
    {
        if (!written.Contains("StageName"))
        {
            return;
        }

        var stage = table.StageOf(row);
        if (!written.Contains("Probability"))
        {
            table.Set(row, table.Field("Probability"), FieldValue.OfDouble(stage.Probability));
        }

        if (!written.Contains("ForecastCategoryName"))
        {
            table.Set(row, table.Field("ForecastCategoryName"), FieldValue.Of(stage.ForecastCategoryName));
        }

        if (before is null || before[OpportunityTable.StageNameField].Text != stage.Name)
        {
            table.Set(row, table.Field("LastStageChangeDate"), FieldValue.OfDateTime(now));
        }
    }

    private void AppendHistory(OpportunityTable table, int row, FieldValue[]? before, int user, long now)
    {
        var stage = table.StageOf(row);
        var amount = table.Get(row, OpportunityTable.AmountField);
        org.History.Rows.Add(new HistoryRow
        {
            Opportunity = row,
            CreatedBy = user,
            Stage = stage.Code,
            CloseDay = (int)table.Get(row, OpportunityTable.CloseDateField).Int,
            Amount = amount.IsNull ? double.NaN : amount.AsDouble,
            PrevAmount = before is null || before[OpportunityTable.AmountField].IsNull ? double.NaN : before[OpportunityTable.AmountField].AsDouble,
            PrevCloseDay = before is null ? 0 : (int)before[OpportunityTable.CloseDateField].Int,
            CreatedMs = now,
        });
    }

    /// <summary>One OpportunityFieldHistory row per changed field that has history tracking on.</summary>
    private void AppendFieldHistory(OpportunityTable table, int row, FieldValue[] before, List<string> changed, int user, long now)
    {
        var tracked = OpportunityFieldHistoryTable.TrackedFields;
        for (var i = 0; i < tracked.Count; i++)
        {
            if (!changed.Contains(tracked[i]))
            {
                continue;
            }

            var field = table.Field(tracked[i]);
            org.FieldHistory.Rows.Add(new FieldHistoryRow
            {
                Opportunity = row,
                CreatedBy = user,
                Field = (byte)i,
                OldDay = before[field.Index].IsNull ? 0 : (int)before[field.Index].Int,
                NewDay = table.Get(row, field) is { IsNull: false } value ? (int)value.Int : 0,
                CreatedMs = now,
            });
        }
    }

    private void UpdateLastActivity(TaskTable tasks, int row)
    {
        var what = tasks.Get(row, tasks.Field("WhatId"));
        var activity = tasks.Get(row, tasks.Field("ActivityDate"));
        var opportunities = org.Opportunities;
        if (what.Kind != FieldKind.Id || what.Text != opportunities.KeyPrefix || activity.IsNull || !tasks.Get(row, tasks.Field("IsClosed")).AsBoolean
            || !opportunities.Contains((int)what.Int))
        {
            return;
        }

        // LastActivityDate is derived: it moves without touching SystemModstamp or raising a change event.
        var field = opportunities.Field("LastActivityDate");
        var current = opportunities.Get((int)what.Int, field);
        if (current.IsNull || current.Int < activity.Int)
        {
            opportunities.Set((int)what.Int, field, activity);
        }
    }
}
