using System.Globalization;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.SalesforceSimulator.Measure;
using PipelineCoach.SalesforceSimulator.Scenarios;

namespace PipelineCoach.SalesforceSimulator;

/// <summary>
/// <c>serve</c> (default) runs the simulator on :5190; <c>scenario</c> serves and drives the day-in-the-life
/// script; <c>ground-truth</c> writes the planted problems as JSON; <c>measure</c> runs the 1M benchmark.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "serve";
        var flags = ParseFlags(args.SkipWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray());
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        try
        {
            switch (command)
            {
                case "serve":
                    return await ServeAsync(flags, scenario: null, stop.Token);
                case "scenario":
                    return await ServeAsync(flags, ScenarioFrom(flags), stop.Token);
                case "ground-truth":
                    var truth = OrgGenerator.Generate(OrgOptions(flags)).GroundTruth.ToJson();
                    if (flags.TryGetValue("out", out var path))
                    {
                        await File.WriteAllTextAsync(path, truth, stop.Token);
                    }
                    else
                    {
                        Console.WriteLine(truth);
                    }

                    return 0;
                case "measure":
                    return await MeasureCommand.RunAsync(Int(flags, "opportunities", 1_000_000), Int(flags, "seed", 42), Console.Out, stop.Token);
                default:
                    await Console.Error.WriteLineAsync($"Unknown command '{command}'. Use serve | scenario | ground-truth | measure.");
                    return 2;
            }
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
    }

    private static async Task<int> ServeAsync(Dictionary<string, string> flags, ScenarioOptions? scenario, CancellationToken cancellationToken)
    {
        var options = new SimulatorOptions
        {
            Org = OrgOptions(flags),
            Port = Int(flags, "port", SimulatorOptions.DefaultPort),
            Host = flags.GetValueOrDefault("host", "127.0.0.1"),
            TimeScale = flags.TryGetValue("time-scale", out var scale) ? double.Parse(scale, CultureInfo.InvariantCulture) : 1.0,
        };
        if (flags.TryGetValue("outbound-url", out var om))
        {
            options.OutboundMessages.EndpointUrl = new Uri(om);
        }

        if (flags.TryGetValue("webhook-url", out var webhook))
        {
            options.ChangeEvents.WebhookUrl = new Uri(webhook);
        }

        if (flags.TryGetValue("webhook-secret", out var secret))
        {
            options.ChangeEvents.Secret = secret;
        }

        if (flags.TryGetValue("jwt-cert", out var cert))
        {
            options.OAuth.JwtCertificatePem = await File.ReadAllTextAsync(cert, cancellationToken);
        }

        if (flags.TryGetValue("consumer-key", out var key))
        {
            options.OAuth.ConsumerKey = key;
        }

        if (flags.TryGetValue("consumer-secret", out var consumerSecret))
        {
            options.OAuth.ConsumerSecret = consumerSecret;
        }

        if (flags.TryGetValue("ground-truth-out", out var truthPath))
        {
            options.ExistingOrg = OrgGenerator.Generate(options.Org);
            await File.WriteAllTextAsync(truthPath, options.ExistingOrg.GroundTruth.ToJson(), cancellationToken);
        }

        await using var host = await SimulatorApp.StartAsync(options, cancellationToken);
        Console.WriteLine($"Salesforce simulator listening on {host.BaseUrl} (org {host.Org.OrganizationId}, {host.Org.OpportunityCount} opportunities, as of {host.Org.AsOf:yyyy-MM-dd}).");
        Console.WriteLine($"Client credentials: client_id={options.OAuth.ConsumerKey} client_secret={options.OAuth.ConsumerSecret}; control API: {host.BaseUrl}control/org");
        if (scenario is not null)
        {
            var report = await host.Scenario.RunAsync(scenario, cancellationToken);
            foreach (var action in report.Actions)
            {
                Console.WriteLine($"step {action.Step}: {action.Kind} {action.RecordId} by {action.RepId}: {action.Detail}");
            }

            Console.WriteLine($"Scenario done: {report.Actions.Count} actions, {report.QuietRepIds.Count} reps quiet.");
            if (!flags.ContainsKey("keep-serving"))
            {
                return 0;
            }
        }

        await host.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    private static ScenarioOptions ScenarioFrom(Dictionary<string, string> flags) => new()
    {
        Seed = Int(flags, "scenario-seed", 7),
        Steps = Int(flags, "steps", 50),
        StepInterval = TimeSpan.FromMilliseconds(Int(flags, "step-interval-ms", 0)),
    };

    private static OrgGeneratorOptions OrgOptions(Dictionary<string, string> flags) => new()
    {
        Seed = Int(flags, "seed", 42),
        Opportunities = Int(flags, "opportunities", 1_000),
        AsOf = flags.TryGetValue("as-of", out var asOf) ? DateOnly.Parse(asOf, CultureInfo.InvariantCulture) : null,
        PlantProblems = !flags.ContainsKey("no-plant"),
        Outcomes = flags.TryGetValue("outcomes", out var outcomes) ? ParseOutcomes(outcomes) : OutcomeModelKind.Qualification,
    };

    private static OutcomeModelKind ParseOutcomes(string text) => text.ToLowerInvariant() switch
    {
        "qualification" => OutcomeModelKind.Qualification,
        "random" => OutcomeModelKind.Random,
        _ => throw new ArgumentException($"--outcomes must be 'qualification' or 'random', not '{text}'."),
    };

    private static int Int(Dictionary<string, string> flags, string name, int fallback) =>
        flags.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static Dictionary<string, string> ParseFlags(string[] args)
    {
        var flags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
                flags[args[i][2..]] = hasValue ? args[++i] : "true";
            }
        }

        return flags;
    }
}
