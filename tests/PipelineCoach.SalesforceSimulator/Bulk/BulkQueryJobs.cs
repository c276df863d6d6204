using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.SalesforceSimulator.Org;
using PipelineCoach.SalesforceSimulator.Rest;

namespace PipelineCoach.SalesforceSimulator.Bulk;

internal sealed class BulkQueryJob
{
    public required string Id { get; init; }

    public required string Operation { get; init; }

    public required SObjectTable Table { get; init; }

    public required IReadOnlyList<FieldDef> Fields { get; init; }

    public required int[] Rows { get; init; }

    public required int CreatedBy { get; init; }

    public required long CreatedMs { get; init; }

    public string State { get; set; } = "UploadComplete";

    public int Polls { get; set; }
}

/// <summary>Query jobs with their row snapshots; only the newest 32 are kept so a long demo stays small.</summary>
internal sealed class BulkJobStore(TimeProvider time)
{
    private const int MaxJobs = 32;
    private readonly ConcurrentDictionary<string, BulkQueryJob> jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> order = new();
    private long next = 5_000;
    private int created;

    /// <summary>Jobs created since start (the daily job allocation counts these).</summary>
    public int Count => Volatile.Read(ref created);

    public BulkQueryJob Add(string operation, SoqlQuery query, int[] rows, int user)
    {
        var job = new BulkQueryJob
        {
            Id = SalesforceIds.Create(SalesforceIds.BulkJob, Interlocked.Increment(ref next)),
            Operation = operation,
            Table = query.Table,
            Fields = query.Select,
            Rows = rows,
            CreatedBy = user,
            CreatedMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        jobs[job.Id] = job;
        order.Enqueue(job.Id);
        Interlocked.Increment(ref created);
        while (jobs.Count > MaxJobs && order.TryDequeue(out var oldest))
        {
            jobs.TryRemove(oldest, out _);
        }

        return job;
    }

    public BulkQueryJob? Find(string id) => jobs.GetValueOrDefault(id);
}

/// <summary>
/// Bulk API 2.0 query jobs. The query runs when the job is created; the first status poll reports
/// <c>InProgress</c> and later polls <c>JobComplete</c>, so clients exercise their polling loop deterministically.
/// </summary>
internal static class BulkQueryEndpoints
{
    public const int DefaultMaxRecords = 100_000;

    public static void MapBulk(this RouteGroupBuilder api)
    {
        api.MapPost("/jobs/query", CreateAsync);
        api.MapGet("/jobs/query/{id}", GetAsync);
        api.MapGet("/jobs/query/{id}/results", ResultsAsync);
        api.MapMethods("/jobs/query/{id}", ["PATCH"], AbortAsync);
    }

    private static async Task CreateAsync(HttpContext context, SimulatorServices services)
    {
        string? operation;
        string? soql;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            operation = body.RootElement.TryGetProperty("operation", out var op) ? op.GetString() : null;
            soql = body.RootElement.TryGetProperty("query", out var q) ? q.GetString() : null;
        }
        catch (JsonException e)
        {
            await SalesforceJson.WriteErrorAsync(context, 400, "JSON_PARSER_ERROR", e.Message);
            return;
        }

        if (operation is not ("query" or "queryAll") || soql is null)
        {
            await SalesforceJson.WriteErrorAsync(context, 400, "INVALIDJOB", "InvalidJob : Invalid operation or missing query");
            return;
        }

        SoqlQuery query;
        try
        {
            query = SoqlParser.Parse(soql, services.Org);
        }
        catch (SoqlException e)
        {
            await SalesforceJson.WriteErrorAsync(context, 400, e.ErrorCode, e.Message);
            return;
        }

        var rows = QueryEngine.Execute(services.Org, query, operation == "queryAll", context.RequestAborted);
        var job = services.BulkJobs.Add(operation, query, rows, (int)context.Items[ApiGate.UserItem]!);
        await WriteJobAsync(context, job, includeProgress: false);
    }

    private static async Task GetAsync(HttpContext context, SimulatorServices services, string id)
    {
        var job = services.BulkJobs.Find(id);
        if (job is null)
        {
            await SalesforceJson.WriteErrorAsync(context, 404, "NOT_FOUND", "The requested resource does not exist");
            return;
        }

        lock (job)
        {
            if (job.State is "UploadComplete" or "InProgress")
            {
                job.State = job.Polls++ == 0 ? "InProgress" : "JobComplete";
            }
        }

        await WriteJobAsync(context, job, includeProgress: true);
    }

    private static async Task AbortAsync(HttpContext context, SimulatorServices services, string id)
    {
        var job = services.BulkJobs.Find(id);
        if (job is null)
        {
            await SalesforceJson.WriteErrorAsync(context, 404, "NOT_FOUND", "The requested resource does not exist");
            return;
        }

        lock (job)
        {
            job.State = job.State == "JobComplete" ? job.State : "Aborted";
        }

        await WriteJobAsync(context, job, includeProgress: false);
    }

    private static async Task WriteJobAsync(HttpContext context, BulkQueryJob job, bool includeProgress)
    {
        context.Response.ContentType = "application/json;charset=UTF-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body, SalesforceJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("id", job.Id);
        writer.WriteString("operation", job.Operation);
        writer.WriteString("object", job.Table.Name);
        writer.WriteString("createdById", SalesforceIds.Create(SalesforceIds.User, job.CreatedBy));
        writer.WriteString("createdDate", SalesforceFormats.DateTimeRest(job.CreatedMs));
        writer.WriteString("systemModstamp", SalesforceFormats.DateTimeRest(job.CreatedMs));
        writer.WriteString("state", job.State);
        writer.WriteString("concurrencyMode", "Parallel");
        writer.WriteString("contentType", "CSV");
        writer.WriteNumber("apiVersion", 62.0);
        if (includeProgress)
        {
            writer.WriteString("jobType", "V2Query");
            writer.WriteString("lineEnding", "LF");
            writer.WriteString("columnDelimiter", "COMMA");
            writer.WriteNumber("numberRecordsProcessed", job.State == "JobComplete" ? job.Rows.Length : 0);
            writer.WriteNumber("retries", 0);
            writer.WriteNumber("totalProcessingTime", job.State == "JobComplete" ? 1 + (job.Rows.Length / 1000) : 0);
        }
        else
        {
            writer.WriteString("lineEnding", "LF");
            writer.WriteString("columnDelimiter", "COMMA");
        }

        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static async Task ResultsAsync(HttpContext context, SimulatorServices services, string id)
    {
        var job = services.BulkJobs.Find(id);
        if (job is null)
        {
            await SalesforceJson.WriteErrorAsync(context, 404, "NOT_FOUND", "The requested resource does not exist");
            return;
        }

        if (job.State != "JobComplete")
        {
            await SalesforceJson.WriteErrorAsync(context, 400, "INVALIDJOBSTATE", $"Job is not complete: state is {job.State}");
            return;
        }

        var start = 0;
        var locator = context.Request.Query["locator"].ToString();
        if (locator.Length > 0 && !TryDecodeLocator(locator, out start))
        {
            await SalesforceJson.WriteErrorAsync(context, 400, "INVALID_LOCATOR", "Invalid locator");
            return;
        }

        var max = int.TryParse(context.Request.Query["maxRecords"], out var m) && m > 0 ? m : DefaultMaxRecords;
        var end = (int)Math.Min(job.Rows.Length, (long)start + max);
        context.Response.ContentType = "text/csv";
        context.Response.Headers["Sforce-NumberOfRecords"] = (end - start).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["Sforce-Locator"] = end < job.Rows.Length ? EncodeLocator(end) : "null";
        var body = context.Response.BodyWriter;
        var line = new StringBuilder();
        line.AppendJoin(',', job.Fields.Select(f => Quote(f.Name))).Append('\n');
        var org = services.Org;
        for (var chunk = start; chunk < end; chunk += 1_000)
        {
            lock (org.Sync)
            {
                for (var i = chunk; i < Math.Min(end, chunk + 1_000); i++)
                {
                    for (var f = 0; f < job.Fields.Count; f++)
                    {
                        if (f > 0)
                        {
                            line.Append(',');
                        }

                        line.Append(Quote(job.Table.Get(job.Rows[i], job.Fields[f]).ToInvariantString() ?? string.Empty));
                    }

                    line.Append('\n');
                }
            }

            await WriteAsync(body, line, context.RequestAborted);
        }

        await WriteAsync(body, line, context.RequestAborted);
    }

    private static async Task WriteAsync(System.IO.Pipelines.PipeWriter body, StringBuilder text, CancellationToken cancellationToken)
    {
        foreach (var chunk in text.GetChunks())
        {
            var span = body.GetSpan(Encoding.UTF8.GetMaxByteCount(chunk.Length));
            var written = Encoding.UTF8.GetBytes(chunk.Span, span);
            body.Advance(written);
        }

        text.Clear();
        await body.FlushAsync(cancellationToken);
    }

    /// <summary>Bulk CSV quotes every value and doubles embedded quotes.</summary>
    internal static string Quote(string value) => $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    internal static string EncodeLocator(int offset) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(offset.ToString(CultureInfo.InvariantCulture))).TrimEnd('=');

    private static bool TryDecodeLocator(string locator, out int offset)
    {
        offset = 0;
        try
        {
            var padded = locator.PadRight(locator.Length + ((4 - (locator.Length % 4)) % 4), '=');
            return int.TryParse(Encoding.ASCII.GetString(Convert.FromBase64String(padded)), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
