namespace PipelineCoach.Testing;

/// <summary>
/// Polls a condition until it holds or a deadline passes — the one way tests wait for asynchronous effects (the
/// deadline is wall-clock time on purpose: it bounds the test, not the system's notion of time).
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Returns the first value that satisfies <paramref name="done"/>; throws with the last value seen otherwise.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string waitingFor, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        T last;
        do
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"Timed out waiting for {waitingFor}; last value: {last}");
    }

    public static Task TrueAsync(Func<Task<bool>> condition, string waitingFor, TimeSpan? timeout = null) =>
        ValueAsync(condition, ok => ok, waitingFor, timeout);

    /// <summary>Polls an in-memory condition (a counter, a collection) until it holds.</summary>
    public static Task TrueAsync(Func<bool> condition, string waitingFor, TimeSpan? timeout = null) =>
        ValueAsync(() => Task.FromResult(condition()), ok => ok, waitingFor, timeout);
}
