using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using PipelineCoach.SalesforceSimulator.Generation;

namespace PipelineCoach.SalesforceSimulator.Measure;

/// <summary>
/// Generates an org, then reads every opportunity through paged SOQL (2,000-row pages) and through a Bulk API
/// 2.0 job, printing elapsed times and the process's peak working set.
/// </summary>
internal static class MeasureCommand
{
    private const string Soql = "SELECT Id, Name, AccountId, OwnerId, StageName, Amount, CloseDate, NextStep, LastActivityDate, SystemModstamp FROM Opportunity";

    public static async Task<int> RunAsync(int opportunities, int seed, TextWriter output, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var watch = Stopwatch.StartNew();
        var org = OrgGenerator.Generate(new OrgGeneratorOptions { Seed = seed, Opportunities = opportunities });
        var generated = watch.Elapsed;
        await output.WriteLineAsync($"generate: {org.OpportunityCount:N0} opportunities, {org.History.Count:N0} history rows, {org.ContactRoles.Count:N0} contact roles, {org.Tasks.Count:N0} tasks in {generated.TotalSeconds:F1} s");

        await using var host = await SimulatorApp.StartAsync(new SimulatorOptions { ExistingOrg = org, DailyApiRequests = 10_000_000 }, cancellationToken);
        using var client = host.CreateClient();
        client.Timeout = TimeSpan.FromMinutes(10);

        watch.Restart();
        var rows = 0;
        var pages = 0;
        var next = $"services/data/v62.0/query?q={Uri.EscapeDataString(Soql)}";
        while (next is not null)
        {
            await using var stream = await client.GetStreamAsync(next, cancellationToken);
            using var page = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            rows += page.RootElement.GetProperty("records").GetArrayLength();
            pages++;
            next = page.RootElement.TryGetProperty("nextRecordsUrl", out var url) ? url.GetString()!.TrimStart('/') : null;
        }

        var queried = watch.Elapsed;
        await output.WriteLineAsync($"query: {rows:N0} rows in {pages:N0} pages in {queried.TotalSeconds:F1} s ({rows / Math.Max(0.001, queried.TotalSeconds):N0} rows/s)");

        watch.Restart();
        using var created = await client.PostAsJsonAsync("services/data/v62.0/jobs/query", new Dictionary<string, string> { ["operation"] = "query", ["query"] = Soql }, cancellationToken);
        using var job = JsonDocument.Parse(await created.Content.ReadAsStringAsync(cancellationToken));
        var jobId = job.RootElement.GetProperty("id").GetString();
        string? state = null;
        while (state != "JobComplete")
        {
            using var status = JsonDocument.Parse(await client.GetStringAsync($"services/data/v62.0/jobs/query/{jobId}", cancellationToken));
            state = status.RootElement.GetProperty("state").GetString();
        }

        var bulkRows = 0L;
        var chunks = 0;
        string? locator = null;
        do
        {
            var url = $"services/data/v62.0/jobs/query/{jobId}/results?maxRecords=250000" + (locator is null ? string.Empty : $"&locator={locator}");
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(stream);
            var lines = -1L;
            while (await reader.ReadLineAsync(cancellationToken) is not null)
            {
                lines++;
            }

            bulkRows += lines;
            chunks++;
            locator = response.Headers.GetValues("Sforce-Locator").First();
        }
        while (locator != "null");

        var bulk = watch.Elapsed;
        await output.WriteLineAsync($"bulk: {bulkRows:N0} CSV rows in {chunks} result sets in {bulk.TotalSeconds:F1} s");
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        await output.WriteLineAsync($"total: {total.Elapsed.TotalSeconds:F1} s; peak working set {process.PeakWorkingSet64 / (1024 * 1024):N0} MiB");
        return rows == org.OpportunityCount && bulkRows == org.OpportunityCount ? 0 : 1;
    }
}
