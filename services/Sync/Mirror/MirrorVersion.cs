namespace PipelineCoach.Sync.Mirror;

/// <summary>
/// The version of a mirrored record, and the one "newer wins" rule every writer of the mirror uses (in C# through
/// <see cref="IsNewer"/>, in SQL through <see cref="NewerThanStoredSql"/>). A version is the Salesforce time of the
/// change (<c>SystemModstamp</c>, a change event's <c>commitTimestamp</c>) and, within that time, its place in the
/// Salesforce transaction: a change event's <c>sequenceNumber</c>; a snapshot (reconcile, initial load, outbound
/// message, <c>getDeleted</c>) shows the record after its whole transaction and so sorts after every change of it.
/// </summary>
/// <remarks>
/// Ties are decided on purpose: only a strictly newer version is applied, so an equal version re-sent (a redelivered
/// event, a snapshot re-read by the reconcile overlap, a duplicate notification) is a no-op and publishes nothing.
/// Further changes of one transaction at an equal commit time still apply, because their sequence numbers grow; a
/// change event of a transaction whose snapshot is already mirrored is older than that snapshot and is skipped.
/// </remarks>
public readonly record struct MirrorVersion(DateTimeOffset At, int Sequence) : IComparable<MirrorVersion>
{
    /// <summary>The sequence of a snapshot: after every change event of its transaction (the column's default).</summary>
    public const int SnapshotSequence = int.MaxValue;

    public static MirrorVersion Snapshot(DateTimeOffset at) => new(at, SnapshotSequence);

    public static MirrorVersion Change(DateTimeOffset commitTimestamp, int sequenceNumber) => new(commitTimestamp, sequenceNumber);

    /// <summary>The rule: <paramref name="incoming"/> is applied only when nothing is stored or it is strictly newer.</summary>
    public static bool IsNewer(MirrorVersion? stored, MirrorVersion incoming) => stored is not { } held || incoming.CompareTo(held) > 0;

    /// <summary>
    /// The same rule as the <c>WHERE</c> of an <c>INSERT … ON CONFLICT DO UPDATE</c> into a mirror table (columns
    /// <c>source_version</c>, <c>source_sequence</c>): the stored row is replaced only by a strictly newer one.
    /// </summary>
    public static string NewerThanStoredSql(string table) =>
        $"({table}.source_version, {table}.source_sequence) < (EXCLUDED.source_version, EXCLUDED.source_sequence)";

    public int CompareTo(MirrorVersion other)
    {
        var byTime = At.UtcTicks.CompareTo(other.At.UtcTicks);
        return byTime != 0 ? byTime : Sequence.CompareTo(other.Sequence);
    }

    public static bool operator <(MirrorVersion left, MirrorVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(MirrorVersion left, MirrorVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(MirrorVersion left, MirrorVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(MirrorVersion left, MirrorVersion right) => left.CompareTo(right) >= 0;
}
