using System.Threading.RateLimiting;

namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>
/// Paces posts per destination: one message per interval, queued oldest first rather than refused (Slack asks for
/// about one a second per webhook, and to queue rather than fail). A send waits at most a bounded time for its turn.
/// The limiter runs on wall-clock time: it paces real requests to a real remote.
/// </summary>
internal sealed class ChatPacer : IDisposable
{
    private const int MaxQueued = 100;

    private readonly PartitionedRateLimiter<Guid> _limiter;
    private readonly TimeSpan _maxWait;

    public ChatPacer(TimeSpan interval, TimeSpan maxWait)
    {
        _maxWait = maxWait;
        _limiter = PartitionedRateLimiter.Create<Guid, Guid>(destinationId => RateLimitPartition.GetTokenBucketLimiter(destinationId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = 1,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = interval,
            QueueLimit = MaxQueued,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Waits for the destination's next turn; false when it did not come within the bound (or too many wait already).</summary>
    public async Task<bool> WaitForTurnAsync(Guid destinationId, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(_maxWait);
        try
        {
            using var lease = await _limiter.AcquireAsync(destinationId, 1, wait.Token);
            return lease.IsAcquired;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Dispose() => _limiter.Dispose();
}
