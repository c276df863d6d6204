using PipelineCoach.Notifications.Routing;

namespace PipelineCoach.Notifications.Preferences;

/// <summary>A recipient's preferences as the API shows them, defaults filled in: <c>channels</c> lists every signal.</summary>
public sealed record PreferencesView(
    IReadOnlyDictionary<string, IReadOnlyList<string>> Channels,
    QuietHoursView? QuietHours,
    string? TimeZone,
    string Digest,
    string? DigestAt,
    int DailyInterruptionBudget)
{
    public static PreferencesView From(RecipientPreferences preferences) => new(
        Signals.All.ToDictionary(signal => signal, preferences.ChannelsFor),
        preferences.QuietHours is { } quiet ? new QuietHoursView(ClockTime.ToText(quiet.Start), ClockTime.ToText(quiet.End)) : null,
        preferences.TimeZone,
        preferences.Digest,
        preferences.DigestAt is { } at ? ClockTime.ToText(at) : null,
        preferences.DailyInterruptionBudget);
}
