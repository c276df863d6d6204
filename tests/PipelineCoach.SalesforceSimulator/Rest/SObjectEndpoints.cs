using System.Text.Json;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.SalesforceSimulator.Org;

namespace PipelineCoach.SalesforceSimulator.Rest;

/// <summary>Single records, <c>getUpdated</c>/<c>getDeleted</c>, sObject Collections and <c>limits</c>.</summary>
internal static class SObjectEndpoints
{
    public const int MaxCollectionRecords = 200;

    public static void MapSObjects(this RouteGroupBuilder api)
    {
        api.MapGet("/sobjects/{type}/updated", UpdatedAsync);
        api.MapGet("/sobjects/{type}/deleted", DeletedAsync);
        api.MapPost("/sobjects/{type}", CreateAsync);
        api.MapGet("/sobjects/{type}/{id}", GetAsync);
        api.MapMethods("/sobjects/{type}/{id}", ["PATCH"], PatchAsync);
        api.MapDelete("/sobjects/{type}/{id}", DeleteAsync);
        api.MapMethods("/composite/sobjects", ["PATCH"], CollectionAsync);
        api.MapGet("/limits", LimitsAsync);
    }

    internal static WriteContext Context(HttpContext context) =>
        WriteContext.Rest((int)context.Items[ApiGate.UserItem]!, WriteContext.ClientFromCallOptions(context.Request.Headers["Sforce-Call-Options"].ToString()));

    private static async Task GetAsync(HttpContext context, SimulatorServices services, string type, string id)
    {
        var org = services.Org;
        var table = org.FindTable(type);
        if (table is null)
        {
            await SalesforceJson.WriteErrorAsync(context, 404, "NOT_FOUND", "The requested resource does not exist");
            return;
        }

        if (!SalesforceIds.TryParse(id, out var prefix, out var row) || prefix != table.KeyPrefix || !table.Contains((int)row))
        {
            await SalesforceJson.WriteErrorAsync(context, 404, "NOT_FOUND", SalesforceIds.LooksLikeId(id)
                ? "The requested resource does not exist"
                : "Provided external ID field does not exist or is not accessible: " + id);
            return;
        }

        var fields = table.Fields;
        var requested = context.Request.Query["fields"].ToString();
        if (requested.Length > 0)
        {
            var list = new List<FieldDef>();
            foreach (var name in requested.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var field = table.FindField(name);
                if (field is null)
                {
                    await SalesforceJson.WriteErrorAsync(context, 400, "INVALID_FIELD", $"No such column '{name}' on sobject of type {table.Name}");
                    return;
                }

                list.Add(field);
            }

            fields = list;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var isDeleted = false;
        lock (org.Sync)
        {
            isDeleted = table.IsRowDeleted((int)row);
            if (!isDeleted)
            {
                using var writer = new Utf8JsonWriter(buffer, SalesforceJson.WriterOptions);
                SalesforceJson.WriteRecord(writer, table, (int)row, fields);
            }
        }

        if (isDeleted)
        {
            await SalesforceJson.WriteErrorAsync(context, 404, "ENTITY_IS_DELETED", "entity is deleted");
            return;
        }

        context.Response.ContentType = "application/json;charset=UTF-8";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private static async Task PatchAsync(HttpContext context, SimulatorServices services, string type, string id)
    {
        Dictionary<string, JsonElement>? fields;
        try
        {
            fields = await JsonSerializer.DeserializeAsync(context.Request.Body, RestJson.Default.DictionaryStringJsonElement, context.RequestAborted);
        }
        catch (JsonException e)
        {
            await SalesforceJson.WriteErrorAsync(context, 400, "JSON_PARSER_ERROR", e.Message);
            return;
        }

        if (fields is null)
        {
            await SalesforceJson.WriteErrorAsync(context, 400, "JSON_PARSER_ERROR", "The request body is empty.");
            return;
        }

        var outcome = services.Writer.Save(Context(context), [new WriteRequest(type, id, fields)])[0];
        if (outcome.Error is { } error)
        {
            await SalesforceJson.WriteErrorAsync(context, SalesforceJson.StatusFor(error.StatusCode), error.StatusCode, error.Message, error.Fields);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>Create (Opportunity, Task): 201 with <c>{"id":…,"errors":[],"success":true}</c>.</summary>
    private static async Task CreateAsync(HttpContext context, SimulatorServices services, string type)
    {
        Dictionary<string, JsonElement>? fields;
        try
        {
            fields = await JsonSerializer.DeserializeAsync(context.Request.Body, RestJson.Default.DictionaryStringJsonElement, context.RequestAborted);
        }
        catch (JsonException e)
        {
            await SalesforceJson.WriteErrorAsync(context, 400, "JSON_PARSER_ERROR", e.Message);
            return;
        }

        var outcome = services.Writer.Save(Context(context), [new WriteRequest(type, null, fields ?? [])])[0];
        if (outcome.Error is { } error)
        {
            await SalesforceJson.WriteErrorAsync(context, error.StatusCode == "INVALID_TYPE" ? 404 : 400, error.StatusCode, error.Message, error.Fields);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentType = "application/json;charset=UTF-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body, SalesforceJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("id", outcome.Id);
        writer.WriteStartArray("errors");
        writer.WriteEndArray();
        writer.WriteBoolean("success", true);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static async Task DeleteAsync(HttpContext context, SimulatorServices services, string type, string id)
    {
        var outcome = services.Writer.Delete(Context(context), type, id);
        if (outcome.Error is { } error)
        {
            await SalesforceJson.WriteErrorAsync(context, SalesforceJson.StatusFor(error.StatusCode), error.StatusCode, error.Message, error.Fields);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task CollectionAsync(HttpContext context, SimulatorServices services)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            await SalesforceJson.WriteErrorAsync(context, 400, "JSON_PARSER_ERROR", e.Message);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array)
            {
                await SalesforceJson.WriteErrorAsync(context, 400, "INVALID_FIELD", "The request must contain a records array.");
                return;
            }

            if (records.GetArrayLength() > MaxCollectionRecords)
            {
                await SalesforceJson.WriteErrorAsync(context, 400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
                return;
            }

            var allOrNone = root.TryGetProperty("allOrNone", out var aon) && aon.ValueKind == JsonValueKind.True;
            var requests = new List<WriteRequest>();
            var preErrors = new Dictionary<int, WriteError>();
            foreach (var record in records.EnumerateArray())
            {
                var type = record.TryGetProperty("attributes", out var attributes) && attributes.TryGetProperty("type", out var t) ? t.GetString() : null;
                var id = record.EnumerateObject().FirstOrDefault(p => p.Name.Equals("id", StringComparison.OrdinalIgnoreCase)).Value;
                var fields = record.EnumerateObject()
                    .Where(p => !p.Name.Equals("attributes", StringComparison.Ordinal) && !p.Name.Equals("id", StringComparison.OrdinalIgnoreCase))
                    .ToDictionary(p => p.Name, p => p.Value.Clone());
                var idText = id.ValueKind == JsonValueKind.String ? id.GetString() : null;
                if (type is null)
                {
                    preErrors[requests.Count] = new WriteError("INVALID_TYPE", "Must send a concrete entity type.", []);
                }
                else if (idText is null)
                {
                    preErrors[requests.Count] = new WriteError("MISSING_ARGUMENT", "Id not specified in an update call", []);
                }

                requests.Add(new WriteRequest(type ?? string.Empty, idText, fields));
            }

            var faults = services.Faults;
            IReadOnlyList<WriteOutcome> outcomes;
            if (preErrors.Count > 0)
            {
                // Records that cannot even be addressed fail on their own; the rest are saved (or rolled back).
                var valid = requests.Where((_, i) => !preErrors.ContainsKey(i)).ToList();
                var saved = allOrNone ? [] : services.Writer.Save(Context(context), valid, false, _ => faults.TakeRowLock());
                var merged = new List<WriteOutcome>();
                var k = 0;
                for (var i = 0; i < requests.Count; i++)
                {
                    merged.Add(preErrors.TryGetValue(i, out var e)
                        ? new WriteOutcome(requests[i].Id, e)
                        : allOrNone
                            ? new WriteOutcome(requests[i].Id, new WriteError("ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were valid and the request was using AllOrNone header", []))
                            : saved[k++]);
                }

                outcomes = merged;
            }
            else
            {
                outcomes = services.Writer.Save(Context(context), requests, allOrNone, _ => faults.TakeRowLock());
            }

            context.Response.ContentType = "application/json;charset=UTF-8";
            await using var writer = new Utf8JsonWriter(context.Response.Body, SalesforceJson.WriterOptions);
            writer.WriteStartArray();
            foreach (var outcome in outcomes)
            {
                writer.WriteStartObject();
                if (outcome.Id is null)
                {
                    writer.WriteNull("id");
                }
                else
                {
                    writer.WriteString("id", SalesforceIds.LooksLikeId(outcome.Id) && outcome.Id.Length == 15 ? SalesforceIds.To18(outcome.Id) : outcome.Id);
                }

                writer.WriteBoolean("success", outcome.Success);
                writer.WriteStartArray("errors");
                if (outcome.Error is { } error)
                {
                    writer.WriteStartObject();
                    writer.WriteString("statusCode", error.StatusCode);
                    writer.WriteString("message", error.Message);
                    writer.WriteStartArray("fields");
                    foreach (var f in error.Fields)
                    {
                        writer.WriteStringValue(f);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            await writer.FlushAsync(context.RequestAborted);
        }
    }

    private static async Task UpdatedAsync(HttpContext context, SimulatorServices services, string type) =>
        await ReplicationAsync(context, services, type, deleted: false);

    private static async Task DeletedAsync(HttpContext context, SimulatorServices services, string type) =>
        await ReplicationAsync(context, services, type, deleted: true);

    private static async Task ReplicationAsync(HttpContext context, SimulatorServices services, string type, bool deleted)
    {
        var table = services.Org.FindTable(type);
        if (table is null)
        {
            await SalesforceJson.WriteErrorAsync(context, 404, "NOT_FOUND", "The requested resource does not exist");
            return;
        }

        var now = TruncateToMinute(services.Options.TimeProvider.GetUtcNow());
        if (!TryDate(context.Request.Query["start"], out var start) || !TryDate(context.Request.Query["end"], out var end))
        {
            await SalesforceJson.WriteErrorAsync(context, 400, "INVALID_REPLICATION_DATE", "start and end must be ISO 8601 date-times");
            return;
        }

        start = TruncateToMinute(start);
        end = TruncateToMinute(end);
        var window = deleted ? TimeSpan.FromDays(15) : TimeSpan.FromDays(30);
        if (end - start < TimeSpan.FromMinutes(1))
        {
            await SalesforceJson.WriteErrorAsync(context, 400, "INVALID_REPLICATION_DATE", "startDate must chronologically precede endDate by more than one minute");
            return;
        }

        if (start < now - window)
        {
            await SalesforceJson.WriteErrorAsync(context, 400, "INVALID_REPLICATION_DATE", $"startDate cannot be more than {window.TotalDays} days ago");
            return;
        }

        var latest = end < now ? end : now;
        var startMs = start.ToUnixTimeMilliseconds();
        var latestMs = latest.ToUnixTimeMilliseconds();
        var org = services.Org;
        context.Response.ContentType = "application/json;charset=UTF-8";
        if (deleted)
        {
            List<(int Row, long At)> found;
            lock (org.Sync)
            {
                found = [.. table.Deleted.Where(d => d.DeletedAtMs >= startMs && d.DeletedAtMs < latestMs).OrderBy(d => d.DeletedAtMs)];
            }

            await using var writer = new Utf8JsonWriter(context.Response.Body, SalesforceJson.WriterOptions);
            writer.WriteStartObject();
            writer.WriteStartArray("deletedRecords");
            foreach (var (row, at) in found)
            {
                writer.WriteStartObject();
                writer.WriteString("id", SalesforceIds.Create(table.KeyPrefix, row));
                writer.WriteString("deletedDate", SalesforceFormats.DateTimeRest(at));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("earliestDateAvailable", SalesforceFormats.DateTimeRest((now - window).ToUnixTimeMilliseconds()));
            writer.WriteString("latestDateCovered", SalesforceFormats.DateTimeRest(latestMs));
            writer.WriteEndObject();
            await writer.FlushAsync(context.RequestAborted);
            return;
        }

        var ids = new List<int>();
        lock (org.Sync)
        {
            for (var row = 0; row < table.Count; row++)
            {
                var modstamp = table.Get(row, table.SystemModstamp).Int;
                if (modstamp >= startMs && modstamp < latestMs && !table.IsRowDeleted(row))
                {
                    ids.Add(row);
                }
            }
        }

        if (ids.Count > services.Options.UpdatedIdLimit)
        {
            await SalesforceJson.WriteErrorAsync(context, 400, "EXCEEDED_ID_LIMIT", $"Too many ids: the window matches more than {services.Options.UpdatedIdLimit} records; use a shorter window");
            return;
        }

        await using (var writer = new Utf8JsonWriter(context.Response.Body, SalesforceJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("ids");
            foreach (var row in ids)
            {
                writer.WriteStringValue(SalesforceIds.Create(table.KeyPrefix, row));
            }

            writer.WriteEndArray();
            writer.WriteString("latestDateCovered", SalesforceFormats.DateTimeRest(latestMs));
            writer.WriteEndObject();
            await writer.FlushAsync(context.RequestAborted);
        }
    }

    private static bool TryDate(string? text, out DateTimeOffset value)
    {
        value = default;
        return !string.IsNullOrEmpty(text) && SalesforceFormats.TryParseDateTime(text, out value);
    }

    private static DateTimeOffset TruncateToMinute(DateTimeOffset t) =>
        new(t.UtcDateTime.Year, t.UtcDateTime.Month, t.UtcDateTime.Day, t.UtcDateTime.Hour, t.UtcDateTime.Minute, 0, TimeSpan.Zero);

    private static async Task LimitsAsync(HttpContext context, SimulatorServices services)
    {
        context.Response.ContentType = "application/json;charset=UTF-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body, SalesforceJson.WriterOptions);
        writer.WriteStartObject();
        Limit(writer, "ConcurrentAsyncGetReportInstances", 200, 200);
        Limit(writer, "DailyApiRequests", services.Usage.Max, services.Usage.Max - services.Usage.Used);
        Limit(writer, "DailyBulkV2QueryFileStorageMB", 976_562, 976_562);
        Limit(writer, "DailyBulkV2QueryJobs", 10_000, 10_000 - services.BulkJobs.Count);
        Limit(writer, "DailyDeliveredPlatformEvents", 50_000, 50_000);
        Limit(writer, "DailyStreamingApiEvents", 1_000_000, 1_000_000);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);

        static void Limit(Utf8JsonWriter w, string name, int max, int remaining)
        {
            w.WriteStartObject(name);
            w.WriteNumber("Max", max);
            w.WriteNumber("Remaining", remaining);
            w.WriteEndObject();
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class RestJson : System.Text.Json.Serialization.JsonSerializerContext;
