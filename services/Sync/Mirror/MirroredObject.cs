using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Mirror;

/// <summary>
/// A mirrored Account, User or OpportunityContactRole: every field received, merged as text (so unknown and custom
/// fields are never lost), and the version of the newest snapshot applied. The table's typed columns are
/// projections of <see cref="Fields"/>.
/// </summary>
internal sealed class MirroredObject
{
    public required string Id { get; init; }

    public Dictionary<string, string?> Fields { get; init; } = new(StringComparer.Ordinal);

    public DateTimeOffset SourceVersion { get; set; }

    /// <summary>Always a snapshot's sequence (these objects are fed by snapshots only), kept for the one rule.</summary>
    public int SourceSequence { get; set; } = MirrorVersion.SnapshotSequence;

    /// <summary>The version of the newest snapshot applied, compared by <see cref="MirrorVersion.IsNewer"/>.</summary>
    public MirrorVersion Version
    {
        get => new(SourceVersion, SourceSequence);
        set => (SourceVersion, SourceSequence) = (value.At, value.Sequence);
    }

    /// <summary>Overlays a snapshot's fields; fields it did not carry keep their mirrored value.</summary>
    public void Apply(IEnumerable<(string Name, string? Value)> fields)
    {
        foreach (var (name, value) in fields)
        {
            Fields[name] = value;
        }
    }

    public string? this[string name] => Fields.GetValueOrDefault(name);

    public string? Id18(string name) => this[name] is { } v && SalesforceId.TryNormalize(v, out var id) ? id : null;

    public bool? Bool(string name) => this[name] switch { "true" or "1" => true, "false" or "0" => false, _ => null };

    public DateTimeOffset? Timestamp(string name) => SalesforceDateTime.TryParse(this[name], out var t) ? t : null;
}
