using Npgsql;

namespace PipelineCoach.Sync.Mirror;

/// <summary>
/// Every writer of the mirror locks rows in one order (<see cref="MirrorLockOrder"/>), so reconcile and webhooks queue
/// behind each other instead of deadlocking. Where PostgreSQL still picks a victim (two transactions inserting the same
/// new keys) or fails a transaction for serialization, the transaction rolled back whole: it is run again, a few times,
/// after a short jittered pause, instead of failing the run or the delivery.
/// </summary>
internal static partial class ConflictRetry
{
    public const int MaxAttempts = 5;

    /// <param name="transaction">Opens, writes and commits one transaction; called again from scratch on a conflict.</param>
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> transaction, TimeProvider time, ILogger logger, string what,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction(cancellationToken);
            }
            catch (PostgresException ex) when (IsConflict(ex) && attempt < MaxAttempts)
            {
                LogRetried(logger, what, ex.SqlState, attempt);
                await Task.Delay(Pause(attempt), time, cancellationToken);
            }
        }
    }

    /// <summary>40P01 deadlock detected, 40001 serialization failure.</summary>
    public static bool IsConflict(PostgresException exception) =>
        exception.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    /// <summary>A few milliseconds, growing with each attempt, jittered so two victims do not collide again.</summary>
    public static TimeSpan Pause(int attempt) => TimeSpan.FromMilliseconds(attempt * (10 + Random.Shared.Next(0, 20)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} rolled back ({SqlState}) on attempt {Attempt}; running it again")]
    private static partial void LogRetried(ILogger logger, string what, string sqlState, int attempt);
}
