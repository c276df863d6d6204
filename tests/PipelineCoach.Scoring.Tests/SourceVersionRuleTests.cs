namespace PipelineCoach.Scoring.Tests;

[TestFixture]
public sealed class When_deciding_which_source_version_wins
{
    private static readonly DateTimeOffset Stored = new(2026, 11, 2, 9, 30, 0, 125, TimeSpan.Zero);

    [Test]
    public void Should_replace_with_a_newer_version() =>
        Assert.That(SourceVersionRule.Replaces(Stored.AddMilliseconds(1), Stored), Is.True);

    [Test]
    public void Should_keep_the_stored_snapshot_over_an_older_one() =>
        Assert.That(SourceVersionRule.Replaces(Stored.AddMilliseconds(-1), Stored), Is.False);

    [Test]
    public void Should_let_a_tie_replace_the_stored_snapshot() =>
        Assert.That(SourceVersionRule.Replaces(Stored, Stored), Is.True);

    [Test]
    public void Should_compare_instants_not_offsets() =>
        Assert.That(SourceVersionRule.Replaces(Stored.ToOffset(TimeSpan.FromHours(-8)).AddMilliseconds(-1), Stored), Is.False);

    [Test]
    public void Should_let_the_later_of_a_batch_win_a_tie()
    {
        var batch = new[] { (Name: "first", Version: Stored), (Name: "second", Version: Stored) };

        Assert.That(SourceVersionRule.Survivor(batch, m => m.Version).Name, Is.EqualTo("second"));
    }

    [Test]
    public void Should_keep_the_newest_of_a_batch_whatever_the_order()
    {
        var batch = new[]
        {
            (Name: "newest", Version: Stored.AddSeconds(5)),
            (Name: "older", Version: Stored),
            (Name: "oldest", Version: Stored.AddSeconds(-5)),
        };

        Assert.That(SourceVersionRule.Survivor(batch, m => m.Version).Name, Is.EqualTo("newest"));
        Assert.That(SourceVersionRule.Survivor(batch.Reverse(), m => m.Version).Name, Is.EqualTo("newest"));
    }
}
