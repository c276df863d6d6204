using System.Text.RegularExpressions;

namespace PipelineCoach.Testing;

/// <summary>Reads series out of a <c>/metrics</c> page (Prometheus text format).</summary>
public static partial class PrometheusText
{
    /// <summary>
    /// The value of <paramref name="metric"/>'s series labelled <c>service="<paramref name="service"/>"</c>, or null.
    /// Hosts in one test process see each other's meters, so a series is picked by its service label.
    /// </summary>
    public static string? ValueOf(string metrics, string metric, string service) =>
        Series().Matches(metrics)
            .FirstOrDefault(m => m.Groups["name"].Value == metric && m.Groups["labels"].Value.Contains($"service=\"{service}\"", StringComparison.Ordinal))
            ?.Groups["value"].Value;

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>[^}]*)\} (?<value>\S+)""", RegexOptions.Multiline)]
    private static partial Regex Series();
}
