using System.Globalization;

namespace PipelineCoach.Cadence.Agendas;

/// <summary>How agendas say things: amounts, dates, ratios and flag names in a sales leader's words.</summary>
internal static class AgendaWords
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    private static readonly Dictionary<string, (string Name, string Meaning)> Flags = new(StringComparer.Ordinal)
    {
        ["slipping"] = ("Slipping", "the close date keeps moving out"),
        ["stalled"] = ("Stalled", "no stage progress for much longer than the stage normally takes"),
        ["premature-presentation"] = ("Premature presentation", "the proposal stage was reached while qualification is weak"),
        ["maverick-discounting"] = ("Maverick discounting", "a deep discount is standing in for real urgency"),
        ["single-threaded"] = ("Single-threaded", "only one contact is engaged"),
        ["no-next-step"] = ("No next step", "no next step is recorded, or its date has passed"),
        ["stale-activity"] = ("Stale activity", "nobody has worked the deal for two weeks"),
    };

    public static string Money(decimal? amount) => amount is { } value ? value.ToString("N0", Culture) : "no amount";

    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", Culture);

    public static string Ratio(decimal value) => value.ToString("0.##", Culture) + "×";

    public static string Number(double value) => value.ToString("0.#", Culture);

    public static string Percent(decimal value) => value.ToString("0.#", Culture) + "%";

    /// <summary>A flag code's plain name (e.g. <c>premature-presentation</c> → "Premature presentation").</summary>
    public static string FlagName(string code) =>
        Flags.TryGetValue(code, out var known) ? known.Name : Capitalize(code.Replace('-', ' '));

    /// <summary>What a flag means, for when Scoring gave no reason.</summary>
    public static string FlagMeaning(string code) =>
        Flags.TryGetValue(code, out var known) ? known.Meaning : "flagged by the scorecard";

    /// <summary>"Slipping: close date pushed 3 times …", or the flag's meaning when no reason was given.</summary>
    public static string FlagWithReason(string code, string? reason) => $"{FlagName(code)}: {(string.IsNullOrWhiteSpace(reason) ? FlagMeaning(code) : reason)}";

    public static string Days(int days) => days == 1 ? "1 day" : $"{days.ToString(Culture)} days";

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
