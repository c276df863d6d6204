using System.Text.Json;

namespace PipelineCoach.Notifications.Preferences;

/// <summary>A row of <c>recipient_preferences</c>; PostgreSQL <c>time</c> reads as <see cref="TimeSpan"/>.</summary>
internal sealed class PreferenceRow
{
    public string UserId { get; init; } = "";

    public string Channels { get; init; } = "{}";

    public TimeSpan? QuietStart { get; init; }

    public TimeSpan? QuietEnd { get; init; }

    public string? TimeZone { get; init; }

    public string Digest { get; init; } = DigestModes.None;

    public TimeSpan? DigestAt { get; init; }

    public int DailyBudget { get; init; }

    public RecipientPreferences ToPreferences() => new()
    {
        Channels = JsonSerializer.Deserialize<Dictionary<string, string[]>>(Channels)!.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Value),
        QuietHours = QuietStart is { } start && QuietEnd is { } end ? new QuietHours(TimeOnly.FromTimeSpan(start), TimeOnly.FromTimeSpan(end)) : null,
        TimeZone = TimeZone,
        Digest = Digest,
        DigestAt = DigestAt is { } at ? TimeOnly.FromTimeSpan(at) : null,
        DailyInterruptionBudget = DailyBudget,
    };
}
