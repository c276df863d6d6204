namespace PipelineCoach.Notifications.Preferences;

/// <summary>
/// The body of <c>PUT /api/v1/recipients/{userId}/preferences</c>. A put replaces all of a recipient's preferences,
/// and whatever it leaves out (absent or null) takes its default: a signal missing from <c>channels</c> (or
/// <c>channels</c> itself) goes by email, no <c>quietHours</c> means none, no <c>timeZone</c> the Salesforce zone,
/// no <c>digest</c> means <c>none</c>, a daily digest without <c>digestAt</c> comes at 08:00, and no
/// <c>dailyInterruptionBudget</c> means 20. Each signal listed needs at least one channel.
/// </summary>
public sealed record PreferencesRequest(
    Dictionary<string, string?[]?>? Channels,
    QuietHoursRequest? QuietHours,
    string? TimeZone,
    string? Digest,
    string? DigestAt,
    int? DailyInterruptionBudget)
{
    /// <summary>The preferences this put stores, defaults applied; call it on a request that passed <see cref="PreferencesRequestValidator"/>.</summary>
    public RecipientPreferences ToPreferences()
    {
        var digest = Digest ?? DigestModes.None;
        ClockTime.TryParse(DigestAt, out var digestAt);
        return new RecipientPreferences
        {
            Channels = Channels is null
                ? RecipientPreferences.Default.Channels
                : Channels.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)[.. c.Value!.Select(channel => channel!)]),
            QuietHours = QuietHours is null ? null : new QuietHours(Parse(QuietHours.Start), Parse(QuietHours.End)),
            TimeZone = TimeZone,
            Digest = digest,
            DigestAt = DigestAt is not null ? digestAt : digest == DigestModes.Daily ? RecipientPreferences.DefaultDailyDigestAt : null,
            DailyInterruptionBudget = DailyInterruptionBudget ?? RecipientPreferences.DefaultDailyInterruptionBudget,
        };
    }

    private static TimeOnly Parse(string? text) => ClockTime.TryParse(text, out var time) ? time : throw new InvalidOperationException($"Unvalidated time '{text}'.");
}
