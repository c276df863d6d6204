namespace PipelineCoach.SalesforceSimulator.Org;

public enum ChangeType
{
    Create,
    Update,
    Delete,
    Undelete,
}

/// <summary>One committed change of one record, as change events and outbound messages see it.</summary>
public sealed record RecordChange
{
    public required string EntityName { get; init; }

    public required string RecordId { get; init; }

    internal int Row { get; init; }

    public required ChangeType ChangeType { get; init; }

    /// <summary>Fields whose value differs after the write (for creates: every non-null field).</summary>
    public required IReadOnlyList<string> ChangedFields { get; init; }

    public required IReadOnlyList<string> NulledFields { get; init; }

    /// <summary>New values of <see cref="ChangedFields"/>.</summary>
    public required IReadOnlyDictionary<string, FieldValue> Values { get; init; }

    /// <summary><c>com/salesforce/api/rest/62.0;client=…</c> for API writes, empty for UI and scenario edits.</summary>
    public required string ChangeOrigin { get; init; }

    public required string TransactionKey { get; init; }

    public required int SequenceNumber { get; init; }

    public required long CommitTimestampMs { get; init; }

    public required long CommitNumber { get; init; }

    public required string CommitUserId { get; init; }
}

/// <summary>Receives committed transactions (outside the org lock), in commit order.</summary>
public interface IChangeSink
{
    void OnCommitted(IReadOnlyList<RecordChange> transaction);
}

/// <summary>Who is writing: the user and the <c>changeOrigin</c> recorded for the write.</summary>
public sealed record WriteContext(int UserIndex, string ChangeOrigin)
{
    public const string ApiVersion = "62.0";

    public static WriteContext Rest(int userIndex, string? client) => new(
        userIndex,
        string.IsNullOrEmpty(client)
            ? $"com/salesforce/api/rest/{ApiVersion}"
            : $"com/salesforce/api/rest/{ApiVersion};client={client}");

    /// <summary>Edits made "in the UI" by a rep (scenario steps, control API).</summary>
    public static WriteContext Ui(int userIndex) => new(userIndex, string.Empty);

    /// <summary>Parses <c>client=…</c> from a <c>Sforce-Call-Options</c> header.</summary>
    public static string? ClientFromCallOptions(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("client=", StringComparison.OrdinalIgnoreCase))
            {
                return part["client=".Length..];
            }
        }

        return null;
    }
}

/// <summary>A per-record write failure in Salesforce's shape.</summary>
public sealed record WriteError(string StatusCode, string Message, IReadOnlyList<string> Fields);
