// Notifications benchmarks, with the service hosted in-process (ServiceHost, one instance):
//
//   route [N]               N new risks (default 20,000; OpportunityScored, cause change, a flag newly raised on a
//                           different deal each) published at once, on the real clock: time from the first publish
//                           until all N signals are decided and logged (rows in signals, deliveries written); the
//                           dispatcher's send rate is reported apart.
//                           --recipients 2000 (reps) --reps 10 (per manager) --managers 10 (per director)
//                           --subscriptions directors (each director also subscribed to their organisation's risks)
//                           --email maildev|count
//   burst [N] [recipients]  N new risks (default 50,000) at once for R reps (default 5,000) with varied preferences, on a
//                           fake clock moved to every digest time: budgets kept, nothing lost, every held item digested
//                           and sent. --email count|maildev (default count: a counting stand-in for SMTP)
//
//   any key=value after these is a service setting, e.g. Notifications:ConsumerBatchSize=200
//
// PostgreSQL and RabbitMQ come from PIPELINECOACH_TEST_POSTGRES / _RABBITMQ, else the test fixtures' servers; measure
// with a durable PostgreSQL (tests/PipelineCoach.Sync.LoadTest/durable-postgres.sh), see docs/benchmarks.md.
using PipelineCoach.Notifications.LoadTest;
using PipelineCoach.Testing;

var options = Options.Parse(args);
var settings = DriverArguments.Settings(args);

Console.WriteLine(DriverArguments.Machine);
try
{
    Console.WriteLine($"# servers: {(await TestServers.PostgresAsync()).Description}; {(await TestServers.RabbitMqAsync()).Description}");
    var ok = options.Mode switch
    {
        "route" => await RouteBenchmark.RunAsync(options, settings),
        "burst" => await BurstBenchmark.RunAsync(options, settings),
        _ => throw new ArgumentException($"Unknown mode '{options.Mode}': route or burst."),
    };
    return ok ? 0 : 1;
}
finally
{
    await TestServers.StopAsync();
}
