using PipelineCoach.Notifications.Channels.Webhooks;

namespace PipelineCoach.Notifications.Tests.Channels.Webhooks;

/// <summary>Svix's retry ladder: the first attempt at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.</summary>
public sealed class When_retrying_a_signed_webhook
{
    [Test]
    public void Should_wait_as_svix_does_before_each_attempt()
    {
        var delays = Enumerable.Range(1, 8).Select(WebhookRetryLadder.DelayBeforeAttempt).ToArray();

        Assert.That(delays, Is.EqualTo(new TimeSpan?[]
        {
            TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
            TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
        }));
    }

    [Test]
    public void Should_be_exhausted_after_the_eighth_attempt_fails()
    {
        Assert.Multiple(() =>
        {
            Assert.That(WebhookRetryLadder.MaxAttempts, Is.EqualTo(8));
            Assert.That(WebhookRetryLadder.DelayBeforeAttempt(9), Is.Null);
            Assert.That(WebhookRetryLadder.DelayBeforeAttempt(100), Is.Null);
        });
    }

    [Test]
    public void Should_span_about_27_hours_in_all()
    {
        var total = Enumerable.Range(1, WebhookRetryLadder.MaxAttempts).Sum(attempt => WebhookRetryLadder.DelayBeforeAttempt(attempt)!.Value.Ticks);

        Assert.That(TimeSpan.FromTicks(total), Is.EqualTo(new TimeSpan(27, 35, 5)));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Should_refuse_an_attempt_number_below_one(int attempt)
    {
        Assert.That(() => WebhookRetryLadder.DelayBeforeAttempt(attempt), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
