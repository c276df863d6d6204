using PipelineCoach.Notifications.Channels;
using PipelineCoach.Notifications.Channels.Webhooks;

namespace PipelineCoach.Notifications.Deliveries;

/// <summary>
/// How long a failed delivery waits before its next attempt, by channel. Signed webhooks follow Svix's schedule
/// (immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over about 28 hours); people's channels
/// retry sooner and fewer times (their sender already retried within the attempt). After the last, the delivery is
/// <c>failed</c> and waits for <c>POST /api/v1/deliveries/{id}/retry</c>.
/// </summary>
internal static class RetryLadder
{
    public static readonly IReadOnlyList<TimeSpan> People =
        [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(4)];

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based), or null when it was the last.</summary>
    public static TimeSpan? After(string channel, int attempt) =>
        channel == ChannelNames.Webhook
            ? WebhookRetryLadder.DelayBeforeAttempt(attempt + 1)
            : attempt >= 1 && attempt <= People.Count ? People[attempt - 1] : null;
}
