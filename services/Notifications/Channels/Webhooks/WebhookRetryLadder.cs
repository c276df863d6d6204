namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>
/// When each attempt of a signed webhook is made, Svix's schedule: the first at once, then 5 s, 5 min, 30 min, 2 h,
/// 5 h, 10 h and 10 h after the attempt before (about 27 h in all). The dispatcher retries by it; a sender makes one
/// attempt per call, so the ladder is the only place webhook retries happen.
/// </summary>
public static class WebhookRetryLadder
{
    private static readonly TimeSpan[] Delays =
    [
        TimeSpan.Zero,
        TimeSpan.FromSeconds(5),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(5),
        TimeSpan.FromHours(10),
        TimeSpan.FromHours(10),
    ];

    /// <summary>How many attempts a delivery gets before the ladder is exhausted.</summary>
    public static int MaxAttempts => Delays.Length;

    /// <summary>
    /// The wait before attempt <paramref name="attemptNumber"/> (1-based), measured from the attempt before it;
    /// null when there is no such attempt, i.e. after attempt <see cref="MaxAttempts"/> has failed.
    /// </summary>
    public static TimeSpan? DelayBeforeAttempt(int attemptNumber)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attemptNumber, 1);
        return attemptNumber <= Delays.Length ? Delays[attemptNumber - 1] : null;
    }
}
