using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace PipelineCoach.Testing;

/// <summary>
/// The fixed instant date-dependent tests run at, so fiscal periods, ages and "days since" come out the same on any
/// day the suite runs. Give a service a <see cref="Start"/>ed clock with <see cref="Replace"/> (as its
/// <see cref="TimeProvider"/>) and build the test's data from <see cref="Now"/>. The clock stands still unless the
/// test advances it; timers the service creates through it only fire when it does.
/// </summary>
public static class TestClock
{
    /// <summary>
    /// A Wednesday in the middle of a calendar quarter (2026-Q4), earlier than the servers' clocks: retention measured
    /// back from it never reaches rows the database stamps with <c>now()</c>.
    /// </summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    public static DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    /// <summary>A new fake clock at <see cref="Now"/>.</summary>
    public static FakeTimeProvider Start() => new(Now);

    /// <summary>Registers <paramref name="clock"/> as the service's <see cref="TimeProvider"/> (pass to <c>ServiceHost.StartAsync</c>).</summary>
    public static Action<IServiceCollection> Replace(TimeProvider clock) => services => services.AddSingleton(clock);
}
