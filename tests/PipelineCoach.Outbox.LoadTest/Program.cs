// Outbox dispatch rate: seeds a backlog of OpportunityDeleted messages straight into a fresh outbox (as committed rows,
// without waking the dispatcher), then starts a ServiceDefaults-only host with the given number of dispatch loops and
// times until every message is confirmed by RabbitMQ and marked dispatched. A temporary queue is bound to the
// exchange, so every publish is routed and stored by the broker, as when the services consume them.
//
//   dotnet run -c Release --project tests/PipelineCoach.Outbox.LoadTest -- [messages] [perRow] [loops...]
//   e.g. -- 100000 100 1 2     (Sync's webhook rows hold 100 messages; Scoring's single publishes 1)
//
// PostgreSQL and RabbitMQ come from PIPELINECOACH_TEST_POSTGRES / _RABBITMQ or the test fixtures' throwaway servers.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Testing;
using RabbitMQ.Client;

var messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var perRow = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
var loopCounts = args.Length > 2 ? args[2..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [1, 2];

var postgres = await TestServers.PostgresAsync();
var rabbitMq = await TestServers.RabbitMqAsync();
Console.WriteLine($"# {postgres.Description}; {rabbitMq.Description}");
Console.WriteLine($"# {messages:N0} messages, {perRow} per outbox row, server GC: {System.Runtime.GCSettings.IsServerGC}");
Console.WriteLine("loops\tmessages\tstart-to-drained s\tmessages/s\tdrain window s\tmessages/s in window\tCPU ms per 1,000 (this process)");

await using var connection = await new ConnectionFactory { Uri = new Uri(rabbitMq.Uri) }.CreateConnectionAsync();
await using var channel = await connection.CreateChannelAsync();
await channel.ExchangeDeclareAsync(OpportunityDeleted.MessageName, ExchangeType.Fanout, durable: true, autoDelete: false);
var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
await channel.QueueBindAsync(queue.QueueName, OpportunityDeleted.MessageName, "");

try
{
    foreach (var loops in loopCounts)
    {
        var database = await postgres.CreateDatabaseAsync("outbox_load");
        // First start (and stop) only migrates the fresh database.
        await (await DefaultsHost.StartAsync("outbox_load", Settings(1), connectionString: database)).DisposeAsync();
        await SeedAsync(database, messages, perRow);
        await channel.QueuePurgeAsync(queue.QueueName);

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await using var host = await DefaultsHost.StartAsync("outbox_load", Settings(loops), connectionString: database);
        await using var db = new NpgsqlConnection(database);
        while (await db.ExecuteScalarAsync<long>("SELECT coalesce(sum(message_count), 0) FROM outbox_messages WHERE dispatched_at IS NULL") > 0)
        {
            await Task.Delay(100);
        }

        clock.Stop();
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var routed = (await channel.QueueDeclarePassiveAsync(queue.QueueName)).MessageCount;
        // From the first round's start to the last round's start: the rate once the host is up (the wall time above
        // also holds the host's start-up, bus connection included).
        var window = await db.ExecuteScalarAsync<double>("SELECT extract(epoch FROM max(dispatched_at) - min(dispatched_at)) FROM outbox_messages");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{loops}\t{messages}\t{clock.Elapsed.TotalSeconds:F1}\t{messages / clock.Elapsed.TotalSeconds:N0}\t{window:F1}\t{messages / window:N0}\t{used.TotalMilliseconds * 1000 / messages:F0}\t(queue holds {routed:N0})"));
    }
}
finally
{
    // Throwaway servers the driver started (none when both come from the environment).
    await TestServers.StopAsync();
}

static Dictionary<string, string?> Settings(int loops) => new()
{
    ["Messaging:Outbox:Dispatchers"] = loops.ToString(CultureInfo.InvariantCulture),
    ["Messaging:Outbox:PollInterval"] = "00:00:00.100",
    ["Retention:Enabled"] = "false",
};

static async Task SeedAsync(string database, int messages, int perRow)
{
    var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
    const string type = "PipelineCoach.Contracts.Sync.OpportunityDeleted, PipelineCoach.Contracts.Sync";
    await using var db = new NpgsqlConnection(database);
    await db.OpenAsync();
    for (var seeded = 0; seeded < messages; seeded += perRow)
    {
        var count = Math.Min(perRow, messages - seeded);
        var batch = Enumerable.Range(seeded, count).Select(i => new OpportunityDeleted
        {
            OpportunityId = $"006{i:D15}",
            OrganizationId = "00D000000000001EAA",
            Source = "load-test",
            SourceVersion = new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero),
            OccurredAt = new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero),
        }).ToArray();
        if (perRow == 1)
        {
            await db.ExecuteAsync("INSERT INTO outbox_messages (message_id, message_type, body) VALUES (@id, @type, @body)",
                new { id = Guid.CreateVersion7(), type, body = JsonSerializer.Serialize(batch[0], options) });
        }
        else
        {
            await db.ExecuteAsync(
                "INSERT INTO outbox_messages (message_id, message_type, body, message_ids, message_count) VALUES (@id, @type, @body, @ids, @count)",
                new { id = Guid.CreateVersion7(), type, body = JsonSerializer.Serialize(batch, options), ids = batch.Select(_ => Guid.CreateVersion7()).ToArray(), count });
        }
    }
}
