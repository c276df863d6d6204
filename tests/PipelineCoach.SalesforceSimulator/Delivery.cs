namespace PipelineCoach.SalesforceSimulator;

/// <summary>Wakes a background loop: a signal after the loop captured <see cref="Current"/> is never missed.</summary>
internal sealed class WakeSignal
{
    private TaskCompletionSource current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Current => Volatile.Read(ref current).Task;

    public void Set() => Interlocked.Exchange(ref current, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits for a signal captured before the work, or until <paramref name="delay"/> passes.</summary>
    public static async Task WaitAsync(Task signal, TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sleep = Task.Delay(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, time, timeout.Token);
        await Task.WhenAny(signal, sleep);
        await timeout.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
