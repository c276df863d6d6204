using PipelineCoach.Sync.Mirror;

namespace PipelineCoach.Sync.Tests.Unit;

/// <summary>The one "newer wins" rule of the mirror: strictly newer applies, an equal version is a no-op.</summary>
public sealed class When_comparing_mirror_versions
{
    private static readonly DateTimeOffset T = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    [Test]
    public void Should_apply_anything_when_nothing_is_stored() =>
        Assert.That(MirrorVersion.IsNewer(null, MirrorVersion.Snapshot(T)), Is.True);

    [Test]
    public void Should_apply_a_later_time_and_skip_an_earlier_one()
    {
        Assert.That(MirrorVersion.IsNewer(MirrorVersion.Snapshot(T), MirrorVersion.Snapshot(T.AddMilliseconds(1))), Is.True);
        Assert.That(MirrorVersion.IsNewer(MirrorVersion.Snapshot(T), MirrorVersion.Snapshot(T.AddMilliseconds(-1))), Is.False);
        Assert.That(MirrorVersion.IsNewer(MirrorVersion.Change(T, 9), MirrorVersion.Change(T.AddMilliseconds(1), 1)), Is.True,
            "time decides before the sequence");
    }

    [Test]
    public void Should_treat_an_equal_version_sent_again_as_a_no_op()
    {
        Assert.That(MirrorVersion.IsNewer(MirrorVersion.Snapshot(T), MirrorVersion.Snapshot(T)), Is.False, "a snapshot re-read or re-sent");
        Assert.That(MirrorVersion.IsNewer(MirrorVersion.Change(T, 2), MirrorVersion.Change(T, 2)), Is.False, "a change event re-sent");
    }

    [Test]
    public void Should_apply_further_changes_of_one_transaction_in_sequence_order()
    {
        Assert.That(MirrorVersion.IsNewer(MirrorVersion.Change(T, 1), MirrorVersion.Change(T, 2)), Is.True);
        Assert.That(MirrorVersion.IsNewer(MirrorVersion.Change(T, 2), MirrorVersion.Change(T, 1)), Is.False, "an earlier change arriving late");
    }

    [Test]
    public void Should_order_a_snapshot_after_every_change_of_its_transaction()
    {
        Assert.That(MirrorVersion.IsNewer(MirrorVersion.Snapshot(T), MirrorVersion.Change(T, 5)), Is.False, "the snapshot already shows the change");
        Assert.That(MirrorVersion.IsNewer(MirrorVersion.Change(T, 5), MirrorVersion.Snapshot(T)), Is.True, "the snapshot shows the whole transaction");
    }

    [Test]
    public void Should_write_the_same_rule_for_sql() =>
        Assert.That(MirrorVersion.NewerThanStoredSql("opportunities"),
            Is.EqualTo("(opportunities.source_version, opportunities.source_sequence) < (EXCLUDED.source_version, EXCLUDED.source_sequence)"));
}
