using PipelineCoach.Contracts.Sync;

namespace PipelineCoach.Sync.Mirror;

/// <summary>Builds the events Sync publishes about an opportunity from the mirrored record.</summary>
public static class OpportunityEvents
{
    public static OpportunityChanged Changed(
        OpportunityRecord record, string organizationId, string source, string changeType, IReadOnlyList<string> changedFields,
        IReadOnlyDictionary<string, string?> previousKeyValues, DateTimeOffset occurredAt, bool isOwnWrite) => new()
    {
        OpportunityId = record.Id,
        OrganizationId = organizationId,
        SourceVersion = record.SourceVersion,
        OccurredAt = occurredAt,
        Source = source,
        ChangeType = changeType,
        ChangedFields = changedFields,
        IsOwnWrite = isOwnWrite,
        Opportunity = record.ToSnapshot(),
        History = record.History,
        PreviousValues = ChangedKeyValues(previousKeyValues, record.KeyValues()),
    };

    public static OpportunityDeleted Deleted(string id, string organizationId, string source, DateTimeOffset version) => new()
    {
        OpportunityId = id,
        OrganizationId = organizationId,
        SourceVersion = version,
        OccurredAt = version,
        Source = source,
    };

    /// <summary>The previous values of the key fields whose value differs now.</summary>
    public static Dictionary<string, string?> ChangedKeyValues(IReadOnlyDictionary<string, string?> previous, IReadOnlyDictionary<string, string?> current) =>
        previous.Count == 0
            ? []
            : previous.Where(p => current.TryGetValue(p.Key, out var now) && now != p.Value).ToDictionary(p => p.Key, p => p.Value);
}
