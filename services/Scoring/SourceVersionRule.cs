namespace PipelineCoach.Scoring;

/// <summary>
/// Scoring's one "newer source version wins" rule, for everything it keeps per Salesforce record: the opportunity
/// read model (changes and deletes), users, and scores (whose version is the snapshot's they were computed from).
/// An incoming snapshot replaces the stored one unless it is older.
/// </summary>
/// <remarks>
/// <para>
/// <b>A tie applies</b>, on purpose: of two snapshots with the same version, the one applied later wins.
/// Sync re-announces an opportunity at an unchanged <c>SystemModstamp</c> when only what it derives changed (the
/// history summary, contact roles), so an equal version can carry news that must not be dropped; rescoring an
/// unchanged snapshot (a new scorecard version, a new day) yields a score at the same version that must replace the
/// old one; and an exact duplicate at an equal version only rewrites the same values (the inbox already drops a
/// redelivery of one message, and an unchanged score publishes nothing).
/// </para>
/// <para>
/// Within a consumer batch the messages count in delivery order (<see cref="Survivor{T}"/>), so a batch ends where
/// applying its messages one by one would.
/// </para>
/// </remarks>
internal static class SourceVersionRule
{
    /// <summary>Whether a snapshot at <paramref name="incoming"/> replaces one stored at <paramref name="stored"/>.</summary>
    public static bool Replaces(DateTimeOffset incoming, DateTimeOffset stored) => incoming >= stored;

    /// <summary>
    /// The same rule as the guard of an upsert (<c>ON CONFLICT … DO UPDATE … WHERE</c>), so the database decides it
    /// atomically: <paramref name="storedColumn"/> and <paramref name="incomingColumn"/> are SQL expressions,
    /// e.g. <c>opportunities.source_version</c> and <c>EXCLUDED.source_version</c>.
    /// </summary>
    public static string Sql(string storedColumn, string incomingColumn) => $"{incomingColumn} >= {storedColumn}";

    /// <summary>Of several snapshots of one record, in delivery order, the one that stands after applying them all.</summary>
    public static T Survivor<T>(IEnumerable<T> inDeliveryOrder, Func<T, DateTimeOffset> version) =>
        inDeliveryOrder.Aggregate((kept, next) => Replaces(version(next), version(kept)) ? next : kept);
}
