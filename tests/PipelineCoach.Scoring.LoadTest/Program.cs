using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Scoring;
using PipelineCoach.Scoring.LoadTest;
using PipelineCoach.Scoring.Scorecards;
using PipelineCoach.ServiceDefaults.Data;
using PipelineCoach.Testing;
using ScoringProgram = PipelineCoach.Scoring.Program;

// Usage: dotnet run -c Release --project tests/PipelineCoach.Scoring.LoadTest -- [rescoring N [drain]] [end-to-end M] [backlog B] [key=value settings...]
// drain: after the activations, time the outbox dispatcher publishing the OpportunityScored they queued.
// Servers come from PIPELINECOACH_TEST_POSTGRES / PIPELINECOACH_TEST_RABBITMQ, else Docker, else throwaway local ones.
var rescoring = Arg("rescoring", 0);
var endToEnd = Arg("end-to-end", 0);
var backlog = Arg("backlog", 0);
if (rescoring == 0 && endToEnd == 0 && backlog == 0)
{
    rescoring = 100_000;
    endToEnd = 50_000;
}

var settings = new Dictionary<string, string?>
{
    ["PipelineHealth:MonitorEnabled"] = "false",
    ["Logging:LogLevel:Default"] = "Error",
};
foreach (var pair in args.Where(a => a.Contains('=', StringComparison.Ordinal)))
{
    settings[pair[..pair.IndexOf('=', StringComparison.Ordinal)]] = pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..];
}

Console.WriteLine($"{DateTime.UtcNow:O} load average (other work on the machine): {MachineLoad.LoadAverage}");
Console.WriteLine($"{DateTime.UtcNow:O} {Environment.ProcessorCount} cores, .NET {Environment.Version}; settings: {string.Join(", ", settings.Select(s => $"{s.Key}={s.Value}"))}");
try
{
    var host = await ServiceHost<ScoringProgram>.StartAsync("scoring_load", settings);
    Console.WriteLine($"servers: {(await TestServers.PostgresAsync()).Description}; {(await TestServers.RabbitMqAsync()).Description}");
    if (rescoring > 0)
    {
        await RescoringAsync(host, rescoring, drainOutbox: args.Contains("drain"));
    }

    if (endToEnd > 0)
    {
        await EndToEndAsync(host, endToEnd, offset: rescoring);
    }

    if (backlog > 0)
    {
        host = await BacklogAsync(host, backlog, offset: rescoring + endToEnd);
    }

    await host.DisposeAsync();
}
finally
{
    Console.WriteLine($"{DateTime.UtcNow:O} load average at the end: {MachineLoad.LoadAverage}");
    await TestServers.StopAsync();
}

return 0;

int Arg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static async Task RescoringAsync(ServiceHost<ScoringProgram> host, int count, bool drainOutbox)
{
    var today = DateOnly.FromDateTime(DateTime.UtcNow);
    var version = DateTimeOffset.UtcNow.AddMinutes(-5);
    var seed = Stopwatch.StartNew();
    await using (var connection = new NpgsqlConnection(host.DatabaseConnectionString))
    {
        await connection.OpenAsync();
        await using var copy = await connection.BeginBinaryImportAsync(
            """
            COPY opportunities (id, owner_id, stage_name, is_deleted, source_version, snapshot, account_id, amount, is_closed, is_won,
                                close_date, created_date, last_activity_date) FROM STDIN (FORMAT BINARY)
            """);
        for (var i = 0; i < count; i++)
        {
            var m = SampleOpportunities.Create(i, version, today);
            var o = m.Opportunity;
            await copy.StartRowAsync();
            await copy.WriteAsync(m.OpportunityId, NpgsqlDbType.Char);
            await copy.WriteAsync(o.OwnerId, NpgsqlDbType.Char);
            await copy.WriteAsync(o.StageName, NpgsqlDbType.Text);
            await copy.WriteAsync(false, NpgsqlDbType.Boolean);
            await copy.WriteAsync(version.UtcDateTime, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(JsonSerializer.Serialize(m, ScoringJson.Default.OpportunityChanged), NpgsqlDbType.Json);
            await copy.WriteAsync(o.AccountId, NpgsqlDbType.Char);
            await copy.WriteAsync(o.Amount!.Value, NpgsqlDbType.Numeric);
            await copy.WriteAsync(false, NpgsqlDbType.Boolean);
            await copy.WriteAsync(false, NpgsqlDbType.Boolean);
            await copy.WriteAsync(o.CloseDate!.Value, NpgsqlDbType.Date);
            await copy.WriteAsync(DateOnly.FromDateTime(o.CreatedDate!.Value.UtcDateTime), NpgsqlDbType.Date);
            await copy.WriteNullableAsync(o.LastActivityDate, NpgsqlDbType.Date);
        }

        await copy.CompleteAsync();
    }

    await using (var connection = new NpgsqlConnection(host.DatabaseConnectionString))
    {
        await connection.ExecuteAsync("VACUUM ANALYZE opportunities");
    }

    Console.WriteLine($"seeded {count:N0} open opportunities by COPY in {seed.Elapsed.TotalSeconds:F1} s");

    using var client = host.CreateClient();
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Create(ScoringScopes.Admin, ScoringScopes.Read));

    // 1. First scoring of everything (every score is new: history, and an OpportunityScored each, through the outbox).
    await ActivateAsync(host, client, "proactive-qualification", 1, "first activation (every score new)");

    // 2. A new version over existing scores: the everyday case. v2 moves 5 points between criteria, so some scores change.
    var v2 = DefaultScorecards.ProactiveQualification with
    {
        Version = 2,
        Criteria = [.. DefaultScorecards.ProactiveQualification.Criteria.Select(c => c.Id switch
        {
            "multi-threaded" => c with { Weight = 15 },
            "dated-next-step" => c with { Weight = 25 },
            _ => c,
        })],
    };
    var created = await client.PostAsync("/api/v1/scorecards", new StringContent(ScorecardJson.Serialize(v2), System.Text.Encoding.UTF8, "application/json"));
    created.EnsureSuccessStatusCode();
    await ActivateAsync(host, client, "proactive-qualification", 2, "new version over existing scores");
    if (drainOutbox)
    {
        await DrainOutboxAsync(host);
    }
}

// The OpportunityScored events the activations queued, published by the outbox dispatcher once rescoring is done.
static async Task DrainOutboxAsync(ServiceHost<ScoringProgram> host)
{
    await using var connection = new NpgsqlConnection(host.DatabaseConnectionString);
    var before = await PendingOutboxAsync(connection);
    var clock = Stopwatch.StartNew();
    await WaitUntilPublishedAsync(connection);

    Console.WriteLine($"outbox: {before:N0} OpportunityScored published in {clock.Elapsed.TotalSeconds:F1} s ({before / clock.Elapsed.TotalSeconds:N0}/s) with nothing else running");
}

static async Task ActivateAsync(ServiceHost<ScoringProgram> host, HttpClient client, string id, int version, string label)
{
    var clock = Stopwatch.StartNew();
    var accepted = await client.PostAsync($"/api/v1/scorecards/{id}/versions/{version}/activate", null);
    accepted.EnsureSuccessStatusCode();
    var location = accepted.Headers.Location!.ToString();
    JsonNode job;
    var lastReport = TimeSpan.Zero;
    while (true)
    {
        job = JsonNode.Parse(await client.GetStringAsync(location))!;
        var status = job["status"]!.GetValue<string>();
        if (status is "completed" or "failed")
        {
            break;
        }

        if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(10))
        {
            lastReport = clock.Elapsed;
            Console.WriteLine($"  {clock.Elapsed.TotalSeconds,6:F1} s: {job["processed"]} / {job["total"]} ({status}), load average {MachineLoad.LoadAverage}");
        }

        await Task.Delay(200);
    }

    var elapsed = clock.Elapsed;
    var started = job["startedAt"]!.GetValue<DateTimeOffset>();
    var finished = job["finishedAt"]!.GetValue<DateTimeOffset>();
    var processed = job["processed"]!.GetValue<int>();
    Console.WriteLine(
        $"activation v{version} ({label}): {job["status"]} {processed:N0} rescored, {job["changed"]!.GetValue<int>():N0} changed; " +
        $"job {(finished - started).TotalSeconds:F1} s ({processed / (finished - started).TotalSeconds:N0}/s), API to completed {elapsed.TotalSeconds:F1} s {job["error"]}");
    await using var connection = new NpgsqlConnection(host.DatabaseConnectionString);
    var pending = await PendingOutboxAsync(connection);
    var history = await connection.ExecuteScalarAsync<long>("SELECT pg_total_relation_size('score_history')");
    Console.WriteLine($"  outbox rows still to dispatch when the job finished: {pending:N0}; score history now {history / (1024.0 * 1024):N0} MiB");
}

// A backlog of B OpportunityChanged queued while the service is stopped (as after an outage or a burst), then the
// service is started and timed until every message is committed: the service's own rate, with no publisher sharing
// the machine's cores.
static async Task<ServiceHost<ScoringProgram>> BacklogAsync(ServiceHost<ScoringProgram> host, int count, int offset)
{
    var rabbitMq = await TestServers.RabbitMqAsync();
    var today = DateOnly.FromDateTime(DateTime.UtcNow);

    // Round 1: new opportunities (each a first score, published). Round 2: the same ones changed again in a field no
    // scorecard reads (stored and rescored, nothing to publish): the everyday traffic of a busy org.
    for (var round = 1; round <= 2; round++)
    {
        var settings = host.Settings;
        await host.DisposeAsync();

        var publisher = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(rabbitMq.Uri), h => h.PublisherConfirmation = true);
            rabbit.Message<OpportunityChanged>(m => m.SetEntityName(OpportunityChanged.MessageName));
        });
        await publisher.StartAsync();
        var version = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await PublishAllAsync(publisher, Enumerable.Range(offset, count).Select(i => SampleOpportunities.Create(i, version, today, round)));

        await publisher.StopAsync();
        Console.WriteLine($"backlog round {round}: {count:N0} OpportunityChanged queued in {clock.Elapsed.TotalSeconds:F1} s with the service stopped");

        await using var connection = new NpgsqlConnection(settings["Database:ConnectionString"]);
        await connection.OpenAsync();
        var before = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM opportunity_changes");
        var scoredBefore = await OutboxMessagesAsync(connection, pendingOnly: false);
        var cpuBefore = MachineLoad.Now();
        clock.Restart();
        host = await ServiceHost<ScoringProgram>.StartAsync(settings);
        var started = clock.Elapsed;
        await WaitUntilCommittedAsync(connection, before + count);

        var elapsed = clock.Elapsed;
        var cpu = MachineLoad.Now() - cpuBefore;
        var scored = await OutboxMessagesAsync(connection, pendingOnly: false) - scoredBefore;
        var unpublished = await PendingOutboxAsync(connection);
        await WaitUntilPublishedAsync(connection);
        var published = clock.Elapsed;
        Console.WriteLine(
            $"backlog round {round} ({(round == 1 ? "new opportunities, every one scored and published" : "changes that leave scores as they are")}): " +
            $"{count:N0} consumed, scored and committed {elapsed.TotalSeconds:F1} s after starting the service (start-up {started.TotalSeconds:F1} s): " +
            $"{count / elapsed.TotalSeconds:N0}/s; {scored:N0} OpportunityScored queued, {unpublished:N0} of them not yet published at that point, " +
            $"all published {published.TotalSeconds:F1} s after start ({count / published.TotalSeconds:N0}/s)");
        Console.WriteLine(
            $"  CPU until committed: the service process {cpu.Process.TotalMilliseconds * 1000 / count:N0} µs per message " +
            $"({cpu.Process.TotalSeconds / elapsed.TotalSeconds:F2} cores on average, so one dedicated core would carry ≈ {count / cpu.Process.TotalSeconds:N0}/s through it); " +
            $"the machine {cpu.MachineBusy.TotalSeconds / cpu.MachineTotal.TotalSeconds:P0} busy, the rest of the busy time PostgreSQL, RabbitMQ and the kernel " +
            $"({(cpu.MachineBusy - cpu.Process).TotalMilliseconds * 1000 / count:N0} µs per message)");
    }

    return host;
}

// Waits until this many OpportunityChanged are committed. Counting is a sequential scan of a growing table: poll
// gently so the driver does not load the database.
static async Task WaitUntilCommittedAsync(NpgsqlConnection connection, long total)
{
    while (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM opportunity_changes") < total)
    {
        await Task.Delay(500);
    }
}

// Messages in the outbox not yet published (a batch row counts as the messages it holds).
static Task<long> PendingOutboxAsync(NpgsqlConnection connection) => OutboxMessagesAsync(connection, pendingOnly: true);

static Task<long> OutboxMessagesAsync(NpgsqlConnection connection, bool pendingOnly) => connection.ExecuteScalarAsync<long>(
    $"SELECT coalesce(sum(message_count), 0) FROM outbox_messages {(pendingOnly ? "WHERE dispatched_at IS NULL" : "")}");

static async Task WaitUntilPublishedAsync(NpgsqlConnection connection)
{
    while (await PendingOutboxAsync(connection) > 0)
    {
        await Task.Delay(200);
    }
}

// Publishes every message with publisher confirms, 512 in flight.
static async Task PublishAllAsync(IBus bus, IEnumerable<object> messages)
{
    using var inFlight = new SemaphoreSlim(512);
    var publishes = new List<Task>();
    foreach (var message in messages)
    {
        await inFlight.WaitAsync();
        publishes.Add(PublishAsync(message));
    }

    await Task.WhenAll(publishes);

    async Task PublishAsync(object message)
    {
        try
        {
            await bus.Publish(message);
        }
        finally
        {
            inFlight.Release();
        }
    }
}

static async Task EndToEndAsync(ServiceHost<ScoringProgram> host, int count, int offset)
{
    var bus = host.Services.GetRequiredService<IBus>();
    var today = DateOnly.FromDateTime(DateTime.UtcNow);
    await using var connection = new NpgsqlConnection(host.DatabaseConnectionString);
    await connection.OpenAsync();

    // Round 1: new opportunities (each a first score, published). Round 2: the same ones changed again (a field no
    // scorecard reads): stored and rescored, nothing to publish — the steady state of a busy org.
    for (var round = 1; round <= 2; round++)
    {
        var before = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM opportunity_changes");
        var version = DateTimeOffset.UtcNow;
        var messages = Enumerable.Range(offset, count).Select(i => SampleOpportunities.Create(i, version, today, round)).ToList();
        var clock = Stopwatch.StartNew();
        await PublishAllAsync(bus, messages);
        var published = clock.Elapsed;
        await WaitUntilCommittedAsync(connection, before + count);

        var elapsed = clock.Elapsed;
        Console.WriteLine(
            $"end-to-end round {round} ({(round == 1 ? "new opportunities, every one scored and published" : "changes that leave scores as they are")}): " +
            $"{count:N0} OpportunityChanged published in {published.TotalSeconds:F1} s ({count / published.TotalSeconds:N0}/s), " +
            $"all consumed and committed after {elapsed.TotalSeconds:F1} s: {count / elapsed.TotalSeconds:N0}/s end to end");
    }
}
