namespace PipelineCoach.SalesforceSimulator.Faults;

/// <summary>Faults switched on per test through <c>/control/faults</c> or directly on the host.</summary>
public sealed class FaultSettings
{
    private readonly Lock sync = new();
    private int unavailableRemaining;
    private int lockSequence;

    /// <summary>Share (0–1) of sObject Collection records that fail with <c>UNABLE_TO_LOCK_ROW</c>.</summary>
    public double LockRowShare { get; set; }

    /// <summary>Delay added to every REST, Bulk and OAuth response.</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>Each outbound message / change-event post is sent twice.</summary>
    public bool DuplicateDeliveries { get; set; }

    /// <summary>Pending outbound notifications are sent newest first and split across messages.</summary>
    public bool ReorderDeliveries { get; set; }

    public int ServiceUnavailableRemaining
    {
        get
        {
            lock (sync)
            {
                return unavailableRemaining;
            }
        }
    }

    /// <summary>The next <paramref name="requests"/> REST/Bulk requests answer 503.</summary>
    public void ServiceUnavailableBurst(int requests)
    {
        lock (sync)
        {
            unavailableRemaining = Math.Max(0, requests);
        }
    }

    internal bool TakeServiceUnavailable()
    {
        lock (sync)
        {
            if (unavailableRemaining <= 0)
            {
                return false;
            }

            unavailableRemaining--;
            return true;
        }
    }

    /// <summary>
    /// Deterministic lock failures: spreads failures evenly (every 1/share-th record) so a test with share 0.5
    /// sees exactly half its records fail on the first attempt.
    /// </summary>
    internal bool TakeRowLock()
    {
        lock (sync)
        {
            if (LockRowShare <= 0)
            {
                return false;
            }

            lockSequence++;
            var before = Math.Floor((lockSequence - 1) * LockRowShare);
            var after = Math.Floor(lockSequence * LockRowShare);
            return after > before;
        }
    }

    public void Reset()
    {
        lock (sync)
        {
            unavailableRemaining = 0;
            lockSequence = 0;
            LockRowShare = 0;
            ResponseDelay = TimeSpan.Zero;
            DuplicateDeliveries = false;
            ReorderDeliveries = false;
        }
    }
}
