using PipelineCoach.Notifications.Channels;
using PipelineCoach.Notifications.Routing;

namespace PipelineCoach.Notifications.Preferences;

/// <summary>Quiet hours in the recipient's zone; may wrap midnight (20:00–07:00). Start inclusive, end exclusive.</summary>
public sealed record QuietHours(TimeOnly Start, TimeOnly End)
{
    public bool Contains(TimeOnly local) =>
        Start == End ? false : Start < End ? local >= Start && local < End : local >= Start || local < End;
}

public static class DigestModes
{
    public const string None = "none";
    public const string Hourly = "hourly";
    public const string Daily = "daily";
}

/// <summary>How a recipient wants to hear: channels per signal, quiet hours, digests and a daily interruption budget.</summary>
public sealed record RecipientPreferences
{
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Channels { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public QuietHours? QuietHours { get; init; }

    public string? TimeZone { get; init; }

    public string Digest { get; init; } = DigestModes.None;

    public TimeOnly? DigestAt { get; init; }

    public int DailyInterruptionBudget { get; init; } = 20;

    public static RecipientPreferences Default { get; } = new()
    {
        Channels = Signals.All.ToDictionary(s => s, IReadOnlyList<string> (_) => [ChannelNames.Email]),
    };

    public IReadOnlyList<string> ChannelsFor(string signal) => Channels.TryGetValue(signal, out var channels) ? channels : [ChannelNames.Email];
}
