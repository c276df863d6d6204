using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Npgsql;
using PipelineCoach.ServiceDefaults.Webhooks;
using PipelineCoach.Sync.LoadTest;
using PipelineCoach.Testing;

// Outbound-message ingestion load: N senders post SOAP messages of --batch notifications for --duration seconds
// (after --warmup seconds that are not counted) and each request counts only once its exact Ack is back, i.e. after
// Sync committed it. Without --url, Sync runs in this process on real Kestrel (loopback) against the PostgreSQL and
// RabbitMQ that PipelineCoach.Testing provides (environment variables, Docker, or throwaway local servers).
var options = LoadOptions.Parse(args);
SyncUnderLoad? hosted = null;
Uri baseUrl;
string organizationId;
if (options.Url is { } url)
{
    baseUrl = url;
    organizationId = options.OrganizationId ?? throw new ArgumentException("--org is required with --url");
}
else
{
    hosted = await SyncUnderLoad.StartAsync();
    baseUrl = hosted.BaseUrl;
    organizationId = SyncUnderLoad.OrganizationId;
}

Console.WriteLine($"Sync at {baseUrl}; {options.Senders} sender(s), {options.Batch} notifications per message, "
    + $"{options.Warmup.TotalSeconds:0}s warm-up + {options.Duration.TotalSeconds:0}s measured, {options.Records} distinct opportunities");

using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Senders, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
using var http = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
var generator = new EnvelopeGenerator(organizationId, options.Records);
var endpoint = new Uri(options.Path, UriKind.Relative);

var warmupEnds = Stopwatch.GetTimestamp() + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
var runEnds = warmupEnds + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
var cpuAtStart = Task.Run(async () =>
{
    var untilMeasured = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), warmupEnds);
    await Task.Delay(untilMeasured > TimeSpan.Zero ? untilMeasured : TimeSpan.Zero);
    return Process.GetCurrentProcess().TotalProcessorTime;
});
var results = await Task.WhenAll(Enumerable.Range(0, options.Senders).Select(_ => Task.Run(() => SendAsync())));
var cpu = Process.GetCurrentProcess().TotalProcessorTime - await cpuAtStart;

var latencies = results.SelectMany(r => r.Latencies).Order().ToArray();
var acked = results.Sum(r => r.Acked);
var failed = results.Sum(r => r.Failed);
var seconds = options.Duration.TotalSeconds;
Console.WriteLine();
Console.WriteLine($"messages acked      {acked:N0} ({failed:N0} failed)");
Console.WriteLine($"notifications/s     {acked * options.Batch / seconds:N0}");
Console.WriteLine($"messages/s          {acked / seconds:N1}");
// CPU time does not depend on how busy the machine is, unlike the rates above; it covers this whole process
// (the senders and, when hosted here, Sync with its outbox dispatcher), not PostgreSQL or RabbitMQ.
Console.WriteLine($"process CPU         {cpu.TotalMilliseconds / Math.Max(1, results.Sum(r => r.Latencies.Count)):N1} ms per message ({cpu.TotalSeconds / seconds:N2} cores busy)");
if (latencies.Length > 0)
{
    Console.WriteLine($"latency p50         {Percentile(latencies, 0.50):N1} ms");
    Console.WriteLine($"latency p95         {Percentile(latencies, 0.95):N1} ms");
    Console.WriteLine($"latency p99         {Percentile(latencies, 0.99):N1} ms");
    Console.WriteLine($"latency max         {latencies[^1]:N1} ms");
}

foreach (var error in results.SelectMany(r => r.Errors).GroupBy(e => e).OrderByDescending(g => g.Count()).Take(5))
{
    Console.WriteLine($"error x{error.Count()}: {error.Key}");
}

if (hosted is not null)
{
    // Every acknowledged notification must be in the database: the Ack promises durability.
    var (stored, pending) = await hosted.DatabaseCountsAsync();
    Console.WriteLine($"stored notifications {stored:N0} (acked incl. warm-up: {results.Sum(r => r.AckedTotal) * options.Batch:N0})");
    Console.WriteLine($"outbox not yet published at the end: {pending:N0}");
    await hosted.DisposeAsync();
}

return failed == 0 ? 0 : 1;

async Task<SenderResult> SendAsync()
{
    var result = new SenderResult();
    while (true)
    {
        var started = Stopwatch.GetTimestamp();
        if (started >= runEnds)
        {
            return result;
        }

        using var content = new ByteArrayContent(generator.Next(options.Batch));
        content.Headers.TryAddWithoutValidation("Content-Type", "text/xml; charset=utf-8");
        try
        {
            using var response = await http.PostAsync(endpoint, content);
            var body = await response.Content.ReadAsStringAsync();
            var elapsed = Stopwatch.GetElapsedTime(started);
            var ok = response.StatusCode == HttpStatusCode.OK && body.Contains("<Ack>true</Ack>", StringComparison.Ordinal);
            result.Record(ok, started >= warmupEnds, elapsed, ok ? null : $"{(int)response.StatusCode} {Truncate(body)}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            result.Record(false, started >= warmupEnds, Stopwatch.GetElapsedTime(started), ex.GetType().Name + ": " + ex.Message);
        }
    }
}

static string Truncate(string text) => text.Length > 200 ? text[..200] : text;

static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

namespace PipelineCoach.Sync.LoadTest
{
    internal sealed record LoadOptions(int Senders, TimeSpan Duration, TimeSpan Warmup, int Batch, int Records, Uri? Url, string? OrganizationId, string Path)
    {
        public static LoadOptions Parse(string[] args)
        {
            string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
            int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
            return new LoadOptions(
                Int("--senders", 8),
                TimeSpan.FromSeconds(Int("--duration", 30)),
                TimeSpan.FromSeconds(Int("--warmup", 5)),
                Math.Clamp(Int("--batch", 100), 1, 100),
                Int("--records", 50_000),
                Value("--url") is { } url ? new Uri(url) : null,
                Value("--org"),
                Value("--path") ?? "/webhooks/salesforce/outbound-messages");
        }
    }

    internal sealed class SenderResult
    {
        public List<double> Latencies { get; } = [];
        public List<string> Errors { get; } = [];
        public int Acked { get; private set; }
        public int AckedTotal { get; private set; }
        public int Failed { get; private set; }

        public void Record(bool ok, bool measured, TimeSpan elapsed, string? error)
        {
            AckedTotal += ok ? 1 : 0;
            if (!measured)
            {
                return;
            }

            Latencies.Add(elapsed.TotalMilliseconds);
            if (ok)
            {
                Acked++;
            }
            else
            {
                Failed++;
                Errors.Add(error!);
            }
        }
    }

    /// <summary>
    /// Envelopes as Salesforce writes them: unique notification ids, opportunities drawn from a fixed pool (so most
    /// notifications update an existing row, as in production), a SystemModstamp that only moves forward.
    /// </summary>
    internal sealed class EnvelopeGenerator(string organizationId, int records)
    {
        private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        private static readonly string[] Stages = ["Prospecting", "Qualification", "Needs Analysis", "Proposal", "Negotiation"];
        private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private long _sequence;

        public byte[] Next(int batch)
        {
            var xml = new StringBuilder(batch * 900 + 800);
            xml.Append(CultureInfo.InvariantCulture,
                $"""
                <?xml version="1.0" encoding="UTF-8"?>
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                 <soapenv:Body>
                  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
                   <OrganizationId>{organizationId}</OrganizationId>
                   <ActionId>04k000000000001AAA</ActionId>
                   <SessionId xsi:nil="true"/>
                   <EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/62.0/{organizationId[..15]}</EnterpriseUrl>
                   <PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/62.0/{organizationId[..15]}</PartnerUrl>

                """);
            var used = new HashSet<int>();
            for (var i = 0; i < batch; i++)
            {
                int record;
                do
                {
                    record = Random.Shared.Next(records);
                }
                while (!used.Add(record));

                var sequence = Interlocked.Increment(ref _sequence);
                var modstamp = Epoch.AddMilliseconds(sequence).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                xml.Append(CultureInfo.InvariantCulture,
                    $"""
                       <Notification>
                        <Id>{Id("04l", sequence)}</Id>
                        <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
                         <sf:Id>{Id("006", record)}</sf:Id>
                         <sf:AccountId>{Id("001", record / 4)}</sf:AccountId>
                         <sf:Amount>{(record % 500 + 1) * 1000}</sf:Amount>
                         <sf:CloseDate>2026-12-{record % 28 + 1:00}</sf:CloseDate>
                         <sf:IsClosed>false</sf:IsClosed>
                         <sf:LastModifiedById>{Id("005", record % 50)}</sf:LastModifiedById>
                         <sf:LastModifiedDate>{modstamp}</sf:LastModifiedDate>
                         <sf:Name>Opportunity {record}</sf:Name>
                         <sf:NextStep>Call back on {sequence % 28 + 1}</sf:NextStep>
                         <sf:OwnerId>{Id("005", record % 50)}</sf:OwnerId>
                         <sf:Probability>{sequence % 9 * 10 + 10}</sf:Probability>
                         <sf:Qualification_Score__c xsi:nil="true"/>
                         <sf:StageName>{Stages[sequence % Stages.Length]}</sf:StageName>
                         <sf:SystemModstamp>{modstamp}</sf:SystemModstamp>
                        </sObject>
                       </Notification>

                    """);
            }

            xml.Append("  </notifications>\n </soapenv:Body>\n</soapenv:Envelope>\n");
            return Encoding.UTF8.GetBytes(xml.ToString());
        }

        /// <summary>A valid 18-character id: lower-case base 36 only, so the checksum suffix is always "AAA".</summary>
        private static string Id(string prefix, long number)
        {
            Span<char> chars = stackalloc char[18];
            prefix.AsSpan().CopyTo(chars);
            for (var i = 14; i >= 3; i--)
            {
                chars[i] = Alphabet[(int)(number % 36)];
                number /= 36;
            }

            chars[15] = chars[16] = chars[17] = 'A';
            return new string(chars);
        }
    }

    /// <summary>Sync in this process on real Kestrel (a free loopback port) with a fresh database.</summary>
    internal sealed class SyncUnderLoad : WebApplicationFactory<Program>
    {
        public const string OrganizationId = "00D000000000001EAA";
        private readonly Dictionary<string, string?> _settings;

        private SyncUnderLoad(Dictionary<string, string?> settings, Uri baseUrl)
        {
            _settings = settings;
            BaseUrl = baseUrl;
        }

        public Uri BaseUrl { get; }

        public static async Task<SyncUnderLoad> StartAsync()
        {
            var postgres = await TestServers.PostgresAsync();
            var rabbitMq = await TestServers.RabbitMqAsync();
            Console.WriteLine($"Servers: {postgres.Description}; {rabbitMq.Description}");
            var port = FreePort();
            var host = new SyncUnderLoad(new Dictionary<string, string?>
            {
                ["Database:ConnectionString"] = await postgres.CreateDatabaseAsync("loadtest_sync"),
                ["Messaging:RabbitMqUri"] = rabbitMq.Uri,
                ["Auth:SigningKey"] = TestTokens.SigningKey,
                ["Auth:Issuer"] = TestTokens.Issuer,
                ["Auth:Audience"] = TestTokens.Audience,
                ["Salesforce:OrganizationId"] = OrganizationId,
                ["Webhooks:ChangeEventSecrets:0"] = StandardWebhooks.NewSecret(),
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:MassTransit"] = "Critical", // publishes cancelled by the shutdown at the end are expected
            }, new Uri($"http://127.0.0.1:{port}"));
            // No MvcTestingAppManifest.json in a console app: point the factory at our own output folder.
            Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_PIPELINECOACH_SYNC", AppContext.BaseDirectory);
            host.UseKestrel(port);
            host.StartServer();
            return host;
        }

        /// <summary>Stored notifications, and outbox rows still waiting for the dispatcher (its backlog).</summary>
        public async Task<(long Stored, long Pending)> DatabaseCountsAsync()
        {
            await using var connection = new NpgsqlConnection(_settings["Database:ConnectionString"]);
            return (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM outbound_notifications"),
                await connection.ExecuteScalarAsync<long>("SELECT coalesce(sum(message_count), 0) FROM outbox_messages WHERE dispatched_at IS NULL"));
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await TestServers.StopAsync();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
