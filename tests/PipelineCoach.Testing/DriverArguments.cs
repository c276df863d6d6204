using System.Globalization;

namespace PipelineCoach.Testing;

/// <summary>
/// A load driver's command line: the mode and count first, then <c>--name value</c> options, and any <c>key=value</c>
/// as a service setting.
/// </summary>
public static class DriverArguments
{
    public static string? Value(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    public static int Int(string[] args, string name, int fallback) =>
        Value(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The second argument as a count, else <paramref name="fallback"/>.</summary>
    public static int Count(string[] args, int fallback) =>
        args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out var n) ? n : fallback;

    /// <summary>
    /// A hosted service's settings: the production defaults where the test settings differ (the outbox polled every
    /// second, not every 200 ms), quiet logs, and every <c>key=value</c> argument laid over them.
    /// </summary>
    public static Dictionary<string, string?> Settings(string[] args)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Messaging:Outbox:PollInterval"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:MassTransit"] = "Critical", // publishes cancelled by the shutdown at the end are expected
        };
        foreach (var pair in args.Where(a => a.Contains('=', StringComparison.Ordinal)))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            settings[pair[..at]] = pair[(at + 1)..];
        }

        return settings;
    }

    /// <summary>The first line of a driver's output: when, on what, and how busy the machine already was.</summary>
    public static string Machine =>
        $"# {DateTime.UtcNow:O} {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}; load average {MachineLoad.LoadAverage}";
}
