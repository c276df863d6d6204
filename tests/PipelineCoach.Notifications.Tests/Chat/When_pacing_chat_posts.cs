using PipelineCoach.Notifications.Channels.Chat;

namespace PipelineCoach.Notifications.Tests.Chat;

/// <summary>
/// The pacer's rule, with an interval so long that no permit comes back during the test: what is asserted is the
/// count of permits, never how long anything took.
/// </summary>
public sealed class When_pacing_chat_posts
{
    [Test]
    public async Task Should_grant_one_turn_per_interval_per_destination()
    {
        using var pacer = new ChatPacer(TimeSpan.FromHours(1), maxWait: TimeSpan.FromMilliseconds(50));
        var slack = Guid.NewGuid();
        var teams = Guid.NewGuid();

        var first = await pacer.WaitForTurnAsync(slack, CancellationToken.None);
        var second = await pacer.WaitForTurnAsync(slack, CancellationToken.None);
        var other = await pacer.WaitForTurnAsync(teams, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.True);
            Assert.That(second, Is.False, "the second post to a destination waits for the next interval");
            Assert.That(other, Is.True, "another destination has its own turns");
        });
    }

    [Test]
    public async Task Should_stop_waiting_when_the_send_is_cancelled()
    {
        using var pacer = new ChatPacer(TimeSpan.FromHours(1), maxWait: TimeSpan.FromHours(1));
        var destination = Guid.NewGuid();
        using var cancel = new CancellationTokenSource();

        Assert.That(await pacer.WaitForTurnAsync(destination, cancel.Token), Is.True);
        var waiting = pacer.WaitForTurnAsync(destination, cancel.Token);
        cancel.Cancel();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
    }
}
