namespace PipelineCoach.Notifications.Routing;

/// <summary>
/// Risk flags and health conditions as a sales leader says them, lower case to sit inside a sentence ("Acme is at risk:
/// seller-driven close date"); unknown codes read as their words.
/// </summary>
internal static class FlagWords
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        ["slipping"] = "close date slipping",
        ["stalled"] = "stalled in its stage",
        ["stale-activity"] = "no recent activity",
        ["single-threaded"] = "single-threaded (one contact)",
        ["no-next-step"] = "no next step",
        ["maverick-discounting"] = "deep discount",
        ["premature-presentation"] = "proposal before qualification",
        ["seller-driven-close-date"] = "seller-driven close date",
        ["chase-or-close"] = "chase or close",
    };

    public static string Describe(string code) => Known.TryGetValue(code, out var words) ? words : code.Replace('-', ' ');
}

internal static class HealthWords
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        ["coverage-below-target"] = "pipeline coverage below target",
        ["inflow-dried-up"] = "new pipeline has dried up",
        ["tunnel-vision"] = "tunnel vision on one deal",
        ["target-accounts-uncovered"] = "target accounts left uncovered",
        ["early-stage-thin"] = "thin early-stage pipeline",
    };

    public static string Describe(string code) => Known.TryGetValue(code, out var words) ? words : code.Replace('-', ' ');
}
