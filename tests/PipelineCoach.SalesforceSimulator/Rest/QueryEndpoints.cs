using System.Collections.Concurrent;
using System.Text.Json;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.SalesforceSimulator.Org;

namespace PipelineCoach.SalesforceSimulator.Rest;

internal sealed record QueryCursor(string Id, SObjectTable Table, IReadOnlyList<FieldDef> Fields, int[] Rows, int BatchSize);

/// <summary>Open query locators (<c>01g…</c>), kept until their last page is read; the oldest go first.</summary>
internal sealed class QueryCursors
{
    private const int MaxOpen = 64;
    private readonly ConcurrentDictionary<string, QueryCursor> open = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> order = new();
    private long next = 1_000;

    public QueryCursor Open(SObjectTable table, IReadOnlyList<FieldDef> fields, int[] rows, int batchSize)
    {
        var cursor = new QueryCursor(SalesforceIds.Create(SalesforceIds.QueryLocator, Interlocked.Increment(ref next)), table, fields, rows, batchSize);
        open[cursor.Id] = cursor;
        order.Enqueue(cursor.Id);
        while (open.Count > MaxOpen && order.TryDequeue(out var old))
        {
            open.TryRemove(old, out _);
        }

        return cursor;
    }

    public QueryCursor? Find(string id) => open.GetValueOrDefault(id);

    public void Close(string id) => open.TryRemove(id, out _);
}

/// <summary><c>query</c>, <c>queryAll</c> and their <c>nextRecordsUrl</c> pages.</summary>
internal static class QueryEndpoints
{
    public const int DefaultBatchSize = 2_000;

    public static void MapQuery(this RouteGroupBuilder api)
    {
        api.MapGet("/query", (HttpContext c, SimulatorServices s) => StartAsync(c, s, includeDeleted: false));
        api.MapGet("/queryAll", (HttpContext c, SimulatorServices s) => StartAsync(c, s, includeDeleted: true));
        api.MapGet("/query/{locator}", ContinueAsync);
        api.MapGet("/queryAll/{locator}", ContinueAsync);
    }

    private static async Task StartAsync(HttpContext context, SimulatorServices services, bool includeDeleted)
    {
        var soql = context.Request.Query["q"].ToString();
        SoqlQuery query;
        try
        {
            query = SoqlParser.Parse(soql, services.Org);
        }
        catch (SoqlException e)
        {
            await SalesforceJson.WriteErrorAsync(context, StatusCodes.Status400BadRequest, e.ErrorCode, e.Message);
            return;
        }

        var rows = QueryEngine.Execute(services.Org, query, includeDeleted, context.RequestAborted);
        var batchSize = BatchSize(context.Request.Headers["Sforce-Query-Options"].ToString());
        var cursor = rows.Length > batchSize ? services.Cursors.Open(query.Table, query.Select, rows, batchSize) : null;
        await WritePageAsync(context, services, cursor, query.Table, query.Select, rows, 0, batchSize);
    }

    private static async Task ContinueAsync(HttpContext context, SimulatorServices services, string locator)
    {
        var dash = locator.LastIndexOf('-');
        var cursor = dash > 0 ? services.Cursors.Find(locator[..dash]) : null;
        if (cursor is null || !int.TryParse(locator.AsSpan(dash + 1), out var position) || position < 0 || position > cursor.Rows.Length)
        {
            await SalesforceJson.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "INVALID_QUERY_LOCATOR", "invalid query locator");
            return;
        }

        await WritePageAsync(context, services, cursor, cursor.Table, cursor.Fields, cursor.Rows, position, cursor.BatchSize);
    }

    private static int BatchSize(string header)
    {
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("batchSize=", StringComparison.OrdinalIgnoreCase) && int.TryParse(part.AsSpan(10), out var n))
            {
                return Math.Clamp(n, 200, DefaultBatchSize);
            }
        }

        return DefaultBatchSize;
    }

    private static async Task WritePageAsync(
        HttpContext context, SimulatorServices services, QueryCursor? cursor, SObjectTable table, IReadOnlyList<FieldDef> fields, int[] rows, int start, int batchSize)
    {
        var end = Math.Min(rows.Length, start + batchSize);
        var done = end >= rows.Length;
        context.Response.ContentType = "application/json;charset=UTF-8";
        var body = context.Response.BodyWriter;
        using (var writer = new Utf8JsonWriter(body, SalesforceJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("totalSize", rows.Length);
            writer.WriteBoolean("done", done);
            if (!done)
            {
                writer.WriteString("nextRecordsUrl", $"{SalesforceJson.DataPath}/query/{cursor!.Id}-{end}");
            }

            writer.WriteStartArray("records");
            for (var chunk = start; chunk < end; chunk += 250)
            {
                lock (services.Org.Sync)
                {
                    for (var i = chunk; i < Math.Min(end, chunk + 250); i++)
                    {
                        SalesforceJson.WriteRecord(writer, table, rows[i], fields);
                    }
                }

                writer.Flush();
                await body.FlushAsync(context.RequestAborted);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        if (done && cursor is not null)
        {
            services.Cursors.Close(cursor.Id);
        }

        await body.FlushAsync(context.RequestAborted);
    }
}
