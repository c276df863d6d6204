namespace PipelineCoach.Scoring.Backtest;

/// <summary>
/// Values that are slow to compute and may be a little old (stale-while-revalidate). A kept value is returned at
/// once; once it is <c>refreshAfter</c> old (measured from when its computation started, on the
/// <see cref="TimeProvider"/>) the caller that notices starts a refresh in the background and still gets the kept
/// value. One computation per key runs at a time (single-flight): callers that find no value yet all wait for the
/// same one, and a stale value is refreshed once however many callers notice. A background refresh that fails is
/// logged and the kept value stays, to be refreshed again by the first caller after <c>retryAfterFailure</c> (a lasting
/// failure must not turn into back-to-back recomputations); a first computation that fails fails its waiting callers,
/// and the next caller starts another.
/// </summary>
/// <param name="stopping">Cancels computations: they are shared, so no single caller's token may.</param>
internal sealed partial class StaleWhileRevalidateCache<TKey, TValue>(TimeSpan refreshAfter, TimeSpan retryAfterFailure, TimeProvider timeProvider,
    ILogger logger, CancellationToken stopping)
    where TKey : notnull
    where TValue : class
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, Entry> _entries = [];

    /// <summary>The kept value for <paramref name="key"/>, refreshed in the background when stale, else the value being computed.</summary>
    /// <param name="compute">Computes the value; called at most once at a time per key, off the caller's path.</param>
    /// <param name="cancellationToken">Stops this caller's wait, not the computation others may share.</param>
    public Task<TValue> GetAsync(TKey key, Func<CancellationToken, Task<TValue>> compute, CancellationToken cancellationToken)
    {
        Task<TValue> running;
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                _entries[key] = entry = new Entry();
            }

            if (entry.Value is { } kept)
            {
                if (entry.Running is null && timeProvider.GetUtcNow() >= entry.RefreshAt)
                {
                    entry.Running = ComputeAsync(key, entry, compute);
                }

                return Task.FromResult(kept);
            }

            running = entry.Running ??= ComputeAsync(key, entry, compute);
        }

        return running.WaitAsync(cancellationToken);
    }

    private async Task<TValue> ComputeAsync(TKey key, Entry entry, Func<CancellationToken, Task<TValue>> compute)
    {
        var startedAt = timeProvider.GetUtcNow();

        // Returns to the caller (still inside the lock) before computing anything.
        await Task.Yield();
        TValue value;
        try
        {
            value = await compute(stopping);
        }
        catch (Exception ex)
        {
            TValue? kept;
            lock (_gate)
            {
                (entry.Running, kept) = (null, entry.Value);
                entry.RefreshAt = timeProvider.GetUtcNow() + retryAfterFailure;
            }

            if (kept is null)
            {
                throw;
            }

            if (ex is not OperationCanceledException)
            {
                LogRefreshFailed(logger, ex, key);
            }

            return kept;
        }

        // The value and the end of the computation are seen together: whoever sees the value can start the next.
        lock (_gate)
        {
            (entry.Value, entry.RefreshAt, entry.Running) = (value, startedAt + refreshAfter, null);
        }

        return value;
    }

    [LoggerMessage(LogLevel.Error, "Refreshing {Key} in the background failed; the value computed before stays until the next refresh")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, TKey key);

    private sealed class Entry
    {
        public TValue? Value { get; set; }

        /// <summary>
        /// When <see cref="Value"/> is stale: <c>refreshAfter</c> from the start of its computation (its age is the age
        /// of what it read), or <c>retryAfterFailure</c> after a refresh that failed.
        /// </summary>
        public DateTimeOffset RefreshAt { get; set; }

        public Task<TValue>? Running { get; set; }
    }
}
