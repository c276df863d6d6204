namespace PipelineCoach.Sync.Mirror;

/// <summary>
/// The one order in which every path that writes the mirror takes row locks (reconcile, refetch, initial load,
/// change-event and outbound-message ingestion): <c>refetch_requests</c>, then <c>opportunities</c>, then
/// <c>opportunity_contact_roles</c>, <c>accounts</c>, <c>users</c>; within a table by id (ordinal). A transaction that
/// needs opportunities for another reason (contact roles republishing their opportunity) locks them first.
/// </summary>
internal static class MirrorLockOrder
{
    /// <summary>Distinct ids in lock order.</summary>
    public static string[] Ids(IEnumerable<string> ids) => [.. ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
