using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Tests.Unit;

public sealed class When_tracking_the_api_budget
{
    private static (ApiBudget Budget, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new SalesforceApiOptions { BudgetCeiling = 0.8, BudgetMaxDelay = TimeSpan.FromSeconds(30), LimitExceededPause = TimeSpan.FromMinutes(15) });
        return (new ApiBudget(options, time), time);
    }

    private static HttpResponseMessage WithUsage(string header)
    {
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("Sforce-Limit-Info", header);
        return response;
    }

    [TestCase("api-usage=10018/100000", 10018, 100000)]
    [TestCase("api-usage=5/15000", 5, 15000)]
    public void Should_parse_the_limit_header(string header, long used, long max)
    {
        Assert.That(ApiBudget.TryParseUsage(header, out var u, out var m), Is.True);
        Assert.That((u, m), Is.EqualTo((used, max)));
    }

    [TestCase("api-usage=abc/100")]
    [TestCase("per-app-api-usage=1/2")]
    public void Should_ignore_what_it_cannot_read(string header) =>
        Assert.That(ApiBudget.TryParseUsage(header, out _, out _), Is.False);

    [TestCase(50_000, 0)]
    [TestCase(80_000, 0)]
    [TestCase(90_000, 15)]
    [TestCase(100_000, 30)]
    public void Should_slow_down_only_past_the_ceiling(int used, int expectedDelaySeconds)
    {
        var (budget, _) = Create();
        using var response = WithUsage($"api-usage={used}/100000, api-bursts=1/2");
        budget.Observe(response);
        Assert.That(budget.DelayBeforeCall().TotalSeconds, Is.EqualTo(expectedDelaySeconds).Within(0.001));
    }

    [Test]
    public void Should_pause_after_request_limit_exceeded_until_the_pause_is_over()
    {
        var (budget, time) = Create();
        budget.LimitExceeded();
        Assert.That(budget.PausedUntil, Is.EqualTo(time.GetUtcNow().AddMinutes(15)));
        time.Advance(TimeSpan.FromMinutes(16));
        Assert.That(budget.PausedUntil, Is.Null);
    }
}
