// Cadence ledger benchmarks, with the service hosted in-process (ServiceHost, one or more instances on one database):
//
//   fire [N]         N occurrences due at the same instant (default 100,000), fired by --instances (default 2), timed
//                    from "due" until all N reached a queue bound to the CadenceOccurrenceDue exchange; the broker's
//                    tally (missing, duplicates) and the ledger (all 'due', outbox empty) are checked, and the claim
//                    rounds' cadence_claim_duration is reported (p50/p95/p99/max).
//                    --reps 7 (team size) --opportunities 4 (per rep) --past-days 1 --future-days 6 (other slots)
//                    --fillfactor N (experiment: the occurrences table's fillfactor, for HOT lease updates)
//   materialize [N]  N recurring cadences (default 10,000) with no horizon yet: time until every 7-day horizon is written.
//
//   any key=value after these is a service setting, e.g. Cadence:ClaimBatchSize=1000 Messaging:Outbox:Dispatchers=1
//
// PostgreSQL and RabbitMQ come from PIPELINECOACH_TEST_POSTGRES / _RABBITMQ, else the test fixtures' servers; measure
// with a durable PostgreSQL (tests/PipelineCoach.Sync.LoadTest/durable-postgres.sh), see docs/benchmarks.md.
using PipelineCoach.Cadence.LoadTest;
using PipelineCoach.Testing;

var options = Options.Parse(args);
var settings = DriverArguments.Settings(args);

Console.WriteLine(DriverArguments.Machine);
using var meters = new LedgerMeters();
try
{
    Console.WriteLine($"# servers: {(await TestServers.PostgresAsync()).Description}; {(await TestServers.RabbitMqAsync()).Description}");
    var ok = options.Mode switch
    {
        "fire" => await FireBenchmark.RunAsync(options, settings, meters),
        "materialize" => await MaterializeBenchmark.RunAsync(options, settings),
        _ => throw new ArgumentException($"Unknown mode '{options.Mode}': fire or materialize."),
    };
    return ok ? 0 : 1;
}
finally
{
    await TestServers.StopAsync();
}
