using PipelineCoach.Notifications.Channels;
using PipelineCoach.Notifications.Routing;

namespace PipelineCoach.Notifications.Preferences;

/// <summary>
/// How one recipient wants to be notified. Every property starts at its default, so <c>new RecipientPreferences()</c>
/// is <see cref="Default"/>: every signal by email, no quiet hours, the Salesforce time zone, no digest, a budget of 20.
/// </summary>
public sealed record RecipientPreferences
{
    public const int DefaultDailyInterruptionBudget = 20;

    /// <summary>When a daily digest comes if the recipient named no time.</summary>
    public static readonly TimeOnly DefaultDailyDigestAt = new(8, 0);

    private static readonly IReadOnlyList<string> EmailOnly = [ChannelNames.Email];

    public static RecipientPreferences Default { get; } = new();

    /// <summary>The channels of each signal; a signal not listed goes by email (<see cref="ChannelsFor"/>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Channels { get; init; } = Signals.All.ToDictionary(s => s, _ => EmailOnly);

    public QuietHours? QuietHours { get; init; }

    /// <summary>An IANA zone overriding the recipient's Salesforce zone; null uses the Salesforce zone.</summary>
    public string? TimeZone { get; init; }

    /// <summary>One of <see cref="DigestModes"/>.</summary>
    public string Digest { get; init; } = DigestModes.None;

    /// <summary>The local time of the daily digest.</summary>
    public TimeOnly? DigestAt { get; init; }

    /// <summary>Interruptions a day (by the recipient's local day); past it, non-critical notices go to the digest.</summary>
    public int DailyInterruptionBudget { get; init; } = DefaultDailyInterruptionBudget;

    /// <summary>The signal's channels, or email alone when the recipient chose none for it.</summary>
    public IReadOnlyList<string> ChannelsFor(string signal) => Channels.TryGetValue(signal, out var channels) ? channels : EmailOnly;
}
