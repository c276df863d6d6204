using PipelineCoach.Testing;

namespace PipelineCoach.Notifications.LoadTest;

/// <summary>
/// The driver's command line: <c>route [N]</c> or <c>burst [N] [recipients]</c>, then <c>--name value</c> options and
/// <c>key=value</c> service settings.
/// </summary>
internal sealed record Options(string Mode, int Count, int Recipients, int RepsPerManager, int ManagersPerDirector, bool DirectorSubscriptions,
    string Email, TimeSpan Timeout)
{
    public static Options Parse(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "route";
        var count = DriverArguments.Count(args, mode == "route" ? 20_000 : 50_000);
        var recipients = args.Length > 2 && int.TryParse(args[2], System.Globalization.CultureInfo.InvariantCulture, out var r)
            ? r
            : DriverArguments.Int(args, "--recipients", mode == "route" ? 2_000 : 5_000);
        return new Options(mode, count, recipients,
            DriverArguments.Int(args, "--reps", 10),
            DriverArguments.Int(args, "--managers", 10),
            DriverArguments.Value(args, "--subscriptions") is "directors",
            DriverArguments.Value(args, "--email") ?? (mode == "route" ? "maildev" : "count"),
            TimeSpan.FromSeconds(DriverArguments.Int(args, "--timeout", 600)));
    }
}
