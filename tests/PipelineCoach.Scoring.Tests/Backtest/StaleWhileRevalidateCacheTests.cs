using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PipelineCoach.Scoring.Backtest;
using PipelineCoach.Testing;

namespace PipelineCoach.Scoring.Tests.Backtest;

/// <summary>
/// The kept calibration reports: single-flight and stale-while-revalidate, driven by computations the test completes
/// by hand and a clock it advances, so nothing depends on how long anything takes.
/// </summary>
[TestFixture]
public sealed class When_a_slow_value_is_kept
{
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromHours(1);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(5);

    private FakeTimeProvider _clock = null!;
    private RecordingLogger _logger = null!;
    private StaleWhileRevalidateCache<string, string> _cache = null!;
    private Computations _computations = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = TestClock.Start();
        _logger = new RecordingLogger();
        _cache = new StaleWhileRevalidateCache<string, string>(RefreshAfter, RetryAfterFailure, _clock, _logger, CancellationToken.None);
        _computations = new Computations();
    }

    // Bounded, so a cache that loses a waiting caller fails the test instead of hanging it.
    private Task<string> GetAsync(CancellationToken cancellationToken = default) =>
        _cache.GetAsync("report", _computations.Compute, cancellationToken).WaitAsync(Eventually.DefaultTimeout, CancellationToken.None);

    private async Task KeepAsync(string value)
    {
        var first = GetAsync();
        (await _computations.StartedAsync(1)).SetResult(value);
        Assert.That(await first, Is.EqualTo(value));
    }

    [Test]
    public async Task Should_share_one_computation_among_callers_that_find_no_value_yet()
    {
        var first = GetAsync();
        var second = GetAsync();
        var computation = await _computations.StartedAsync(1);

        Assert.That((first.IsCompleted, second.IsCompleted), Is.EqualTo((false, false)), "both wait for the computation");
        computation.SetResult("v1");

        Assert.That((await first, await second), Is.EqualTo(("v1", "v1")));
        Assert.That(_computations.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Should_not_stop_a_shared_computation_when_one_caller_gives_up()
    {
        using var impatient = new CancellationTokenSource();
        var givesUp = GetAsync(impatient.Token);
        var waits = GetAsync();
        var computation = await _computations.StartedAsync(1);

        await impatient.CancelAsync();
        Assert.That(async () => await givesUp, Throws.InstanceOf<OperationCanceledException>());
        computation.SetResult("v1");

        Assert.That(await waits, Is.EqualTo("v1"));
        Assert.That(_computations.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Should_answer_a_stale_value_at_once_and_refresh_it_once_in_the_background()
    {
        await KeepAsync("v1");

        _clock.Advance(RefreshAfter - TimeSpan.FromTicks(1));
        var fresh = GetAsync();
        Assert.That(fresh.IsCompletedSuccessfully, Is.True, "a kept value is answered without waiting");
        Assert.That(await fresh, Is.EqualTo("v1"));

        _clock.Advance(TimeSpan.FromTicks(1));
        var stale = GetAsync();
        var staleAgain = GetAsync();
        Assert.That((stale.IsCompletedSuccessfully, staleAgain.IsCompletedSuccessfully), Is.EqualTo((true, true)), "a stale value is still answered without waiting");
        Assert.That((await stale, await staleAgain), Is.EqualTo(("v1", "v1")));
        var refresh = await _computations.StartedAsync(2);
        Assert.That(await GetAsync(), Is.EqualTo("v1"), "the old value stands while the refresh runs");

        refresh.SetResult("v2");
        Assert.That(await Eventually.ValueAsync(() => GetAsync(), value => value == "v2", "the refreshed value"), Is.EqualTo("v2"));
        Assert.That(_computations.Count, Is.EqualTo(2), "one refresh, however many callers found the value stale");

        // Its age counts from the refresh: another hour before the next.
        _clock.Advance(RefreshAfter - TimeSpan.FromTicks(1));
        Assert.That(await GetAsync(), Is.EqualTo("v2"));
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.That(await GetAsync(), Is.EqualTo("v2"));
        await _computations.StartedAsync(3);
    }

    [Test]
    public async Task Should_keep_the_old_value_and_log_when_a_background_refresh_fails()
    {
        await KeepAsync("v1");
        _clock.Advance(RefreshAfter);
        Assert.That(await GetAsync(), Is.EqualTo("v1"));

        (await _computations.StartedAsync(2)).SetException(new InvalidOperationException("database gone"));
        await Eventually.TrueAsync(() => !_logger.Errors.IsEmpty, "the failure to be logged");

        Assert.That(_logger.Errors.Single().Message, Is.EqualTo("database gone"));
        // Not refreshed again at once (a lasting failure would replay back to back): had this caller started a refresh,
        // it would still be running when the next caller comes, which would then start none, and computation 3 would never be.
        var tooSoon = 0;
        Assert.That(await _cache.GetAsync("report", _ => { Interlocked.Increment(ref tooSoon); return Task.FromResult("too soon"); }, CancellationToken.None),
            Is.EqualTo("v1"), "the old value stays");
        _clock.Advance(RetryAfterFailure);
        Assert.That(await GetAsync(), Is.EqualTo("v1"), "after the retry delay the next caller refreshes again");
        (await _computations.StartedAsync(3)).SetResult("v3");
        Assert.That(tooSoon, Is.Zero);
        Assert.That(await Eventually.ValueAsync(() => GetAsync(), value => value == "v3", "the value of the retried refresh"), Is.EqualTo("v3"));
    }

    [Test]
    public async Task Should_fail_the_waiting_callers_when_the_first_computation_fails_and_start_again_on_the_next()
    {
        var first = GetAsync();
        (await _computations.StartedAsync(1)).SetException(new InvalidOperationException("database gone"));

        Assert.That(async () => await first, Throws.InvalidOperationException.With.Message.EqualTo("database gone"));
        var second = GetAsync();
        (await _computations.StartedAsync(2)).SetResult("v2");
        Assert.That(await second, Is.EqualTo("v2"));
    }

    /// <summary>Every computation the cache started, each completed by the test.</summary>
    private sealed class Computations
    {
        private readonly ConcurrentQueue<TaskCompletionSource<string>> _started = new();

        public int Count => _started.Count;

        public Task<string> Compute(CancellationToken cancellationToken)
        {
            var computation = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _started.Enqueue(computation);
            return computation.Task;
        }

        /// <summary>The <paramref name="number"/>th computation, once the cache started it (it starts them off the caller's path).</summary>
        public async Task<TaskCompletionSource<string>> StartedAsync(int number)
        {
            await Eventually.TrueAsync(() => _started.Count >= number, $"computation {number} to start");
            return _started.ElementAt(number - 1);
        }
    }

    private sealed class RecordingLogger : ILogger
    {
        public ConcurrentQueue<Exception> Errors { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error && exception is not null)
            {
                Errors.Enqueue(exception);
            }
        }
    }
}
