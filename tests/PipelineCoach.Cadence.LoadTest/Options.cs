using System.Globalization;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.LoadTest;

/// <summary>The driver's command line: <c>fire [N]</c> or <c>materialize [N]</c>, then <c>--name value</c> options and <c>key=value</c> service settings.</summary>
internal sealed record Options(string Mode, int Count, int Instances, int RepsPerManager, int OpportunitiesPerRep, int PastDays, int FutureDays, TimeSpan Timeout, int? FillFactor)
{
    public static Options Parse(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "fire";
        var count = DriverArguments.Count(args, mode == "fire" ? 100_000 : 10_000);
        string? Value(string name) => DriverArguments.Value(args, name);
        int Int(string name, int fallback) => DriverArguments.Int(args, name, fallback);
        return new Options(mode, count,
            Int("--instances", mode == "fire" ? 2 : 1),
            Int("--reps", 7),
            Int("--opportunities", 4),
            Int("--past-days", 1),
            Int("--future-days", 6),
            TimeSpan.FromSeconds(Int("--timeout", 300)),
            Value("--fillfactor") is { } f ? int.Parse(f, CultureInfo.InvariantCulture) : null);
    }
}
