using PipelineCoach.Notifications.Preferences;

namespace PipelineCoach.Notifications.Routing;

/// <summary>Send now (an interruption, if the budget allows) or hold until a digest or the end of quiet hours.</summary>
internal sealed record DeliveryDecision(string? HoldReason, DateTimeOffset? HeldUntil, string Words)
{
    public const string QuietHoursHold = "quiet-hours";
    public const string DigestHold = "digest";
    public const string BudgetHold = "budget";
    public const string BulkHold = "bulk";

    public bool IsHeld => HoldReason is not null;

    public static readonly DeliveryDecision SendNow = new(null, null, "send now");

    /// <summary>
    /// The decision for one person, before the budget: bulk work and digest preferences roll into the next digest;
    /// quiet hours hold non-critical signals until they end (into a digest then); anything else interrupts.
    /// </summary>
    public static DeliveryDecision For(RoutedSignal signal, RecipientPreferences preferences, TimeZoneInfo zone, DateTimeOffset now,
        bool isCritical, NotificationsOptions options)
    {
        if (signal.IsBulk)
        {
            var at = HoldTimes.NextDigest(preferences, zone, now, options);
            return new(BulkHold, at, $"held: bulk work ({signal.Cause}) goes to the digest at {Local(at, zone)}");
        }

        if (isCritical)
        {
            return HoldTimes.InQuietHours(preferences, zone, now)
                ? new(null, null, "send now: critical, breaks through quiet hours")
                : SendNow;
        }

        if (preferences.Digest is DigestModes.Hourly or DigestModes.Daily)
        {
            var at = HoldTimes.NextDigest(preferences, zone, now, options);
            return new(DigestHold, at, $"held: {preferences.Digest} digest at {Local(at, zone)}");
        }

        if (HoldTimes.InQuietHours(preferences, zone, now))
        {
            var at = HoldTimes.QuietEnd(preferences.QuietHours!, zone, now);
            return new(QuietHoursHold, at, $"held: quiet hours until {Local(at, zone)}");
        }

        return SendNow;
    }

    /// <summary>The budget was spent: into the next digest.</summary>
    public static DeliveryDecision OverBudget(RecipientPreferences preferences, TimeZoneInfo zone, DateTimeOffset now, NotificationsOptions options)
    {
        var at = HoldTimes.NextDigest(preferences, zone, now, options);
        return new(BudgetHold, at, $"held: daily interruption budget of {preferences.DailyInterruptionBudget} spent; digest at {Local(at, zone)}");
    }

    private static string Local(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " " + zone.Id;
}
