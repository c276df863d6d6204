using System.Text.Json;

namespace PipelineCoach.Sync.Webhooks;

/// <summary>The <c>ChangeEventHeader</c> of a Change Data Capture event as CometD delivers it.</summary>
public sealed record ChangeEventHeader(
    string EntityName,
    IReadOnlyList<string> RecordIds,
    string ChangeType,
    IReadOnlyList<string> ChangedFields,
    IReadOnlyList<string> NulledFields,
    string? ChangeOrigin,
    string TransactionKey,
    int SequenceNumber,
    DateTimeOffset CommitTimestamp,
    long? CommitNumber,
    string? CommitUser)
{
    public bool IsGap => ChangeType.StartsWith("GAP_", StringComparison.Ordinal);
}

/// <summary>One change event: its header, the record fields it carried, and its raw JSON for the durable store.</summary>
public sealed record ChangeEvent(ChangeEventHeader Header, IReadOnlyDictionary<string, JsonElement> Fields, string RawJson);
