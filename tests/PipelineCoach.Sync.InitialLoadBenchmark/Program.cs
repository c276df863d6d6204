// Measures Sync's initial load: N opportunities from the Salesforce simulator through a Bulk API 2.0 query job,
// streamed CSV, binary COPY into PostgreSQL and one outbox row per opportunity.
//   dotnet run -c Release --project tests/PipelineCoach.Sync.InitialLoadBenchmark -- [opportunities=1000000]
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PipelineCoach.SalesforceSimulator;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.ServiceDefaults.Webhooks;
using PipelineCoach.Sync.Reconciliation;
using PipelineCoach.Testing;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
Console.WriteLine($"Generating an org with {count:N0} opportunities…");
var generate = Stopwatch.StartNew();
await using var simulator = await SimulatorApp.StartAsync(new SimulatorOptions
{
    Org = new OrgGeneratorOptions { Seed = 11, Opportunities = count, PlantProblems = false },
    DailyApiRequests = 5_000_000,
});
Console.WriteLine($"  generated in {generate.Elapsed.TotalSeconds:F1} s");

await using var sync = await ServiceHost<PipelineCoach.Sync.Program>.StartAsync("sync_bench", new Dictionary<string, string?>
{
    ["Salesforce:OrganizationId"] = simulator.Org.OrganizationId,
    ["Salesforce:Api:LoginUrl"] = simulator.BaseUrl.ToString(),
    ["Salesforce:Api:AuthFlow"] = "ClientCredentials",
    ["Salesforce:Api:ConsumerKey"] = simulator.Options.OAuth.ConsumerKey,
    ["Salesforce:Api:ConsumerSecret"] = simulator.Options.OAuth.ConsumerSecret,
    ["Sync:Reconcile:Enabled"] = "false",
    ["Sync:WriteBack:Enabled"] = "false",
    ["Webhooks:ChangeEventSecrets:0"] = StandardWebhooks.NewSecret(),
    ["Logging:LogLevel:PipelineCoach.Sync.Reconciliation"] = "Information",
});

var loader = sync.Services.GetRequiredService<InitialLoader>();
GC.Collect();
var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
var peakHeap = heapBefore;
using var sampling = new CancellationTokenSource();
var sampler = Task.Run(async () =>
{
    while (!sampling.IsCancellationRequested)
    {
        peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
        await Task.Delay(100);
    }
});

var load = Stopwatch.StartNew();
var result = await loader.LoadAsync(CancellationToken.None);
load.Stop();
await sampling.CancelAsync();
await sampler;

await using var connection = new NpgsqlConnection(sync.DatabaseConnectionString);
var mirrored = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM opportunities");
var outbox = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox_entries");
Console.WriteLine($"Initial load: {result.Records:N0} read, {result.Applied:N0} applied, {mirrored:N0} mirrored, {outbox:N0} messages in the outbox");
Console.WriteLine($"  elapsed {load.Elapsed.TotalSeconds:F1} s = {result.Records / load.Elapsed.TotalSeconds:N0} opportunities/s");
Console.WriteLine($"  managed heap during load: before {heapBefore / 1048576.0:F0} MiB, peak {peakHeap / 1048576.0:F0} MiB (growth {(peakHeap - heapBefore) / 1048576.0:F0} MiB)");
Console.WriteLine($"  process peak working set (simulator's org included): {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");
return mirrored == count ? 0 : 1;
