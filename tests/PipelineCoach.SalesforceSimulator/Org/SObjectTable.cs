using System.Collections.Frozen;

namespace PipelineCoach.SalesforceSimulator.Org;

/// <summary>
/// One sObject type. Generated values live in compact per-table row structs; anything written later (API
/// writes, scenario steps) goes to a sparse overlay so a million generated rows stay cheap.
/// </summary>
public abstract class SObjectTable
{
    private readonly FrozenDictionary<string, FieldDef> byName;
    private readonly Dictionary<int, Dictionary<int, FieldValue>> overlay = [];
    private readonly Dictionary<int, long> deletedAt = [];
    private ulong[] overlayBits = new ulong[64];

    protected SObjectTable(string name, string keyPrefix, IReadOnlyList<FieldDef> fields)
    {
        Name = name;
        KeyPrefix = keyPrefix;
        Fields = fields;
        for (var i = 0; i < fields.Count; i++)
        {
            fields[i].Index = i;
        }

        byName = fields.ToFrozenDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        // History rows are never edited, so objects without a SystemModstamp (OpportunityFieldHistory) change when created.
        SystemModstamp = byName.GetValueOrDefault("SystemModstamp") ?? Field("CreatedDate");
        LastModifiedDate = byName.GetValueOrDefault("LastModifiedDate");
        LastModifiedById = byName.GetValueOrDefault("LastModifiedById");
        IsDeleted = byName.GetValueOrDefault("IsDeleted");
    }

    public string Name { get; }

    public string KeyPrefix { get; }

    public IReadOnlyList<FieldDef> Fields { get; }

    public FieldDef SystemModstamp { get; }

    public FieldDef? LastModifiedDate { get; }

    public FieldDef? LastModifiedById { get; }

    public FieldDef? IsDeleted { get; }

    public abstract int Count { get; }

    public FieldDef Field(string name) => byName[name];

    public FieldDef? FindField(string name) => byName.GetValueOrDefault(name);

    public FieldValue Get(int row, FieldDef field) => Get(row, field.Index);

    public FieldValue Get(int row, int field)
    {
        if (field == 0)
        {
            return FieldValue.OfId(KeyPrefix, row);
        }

        if (IsDeleted is not null && field == IsDeleted.Index)
        {
            return FieldValue.Of(deletedAt.ContainsKey(row));
        }

        if ((uint)(row >> 6) < (uint)overlayBits.Length && (overlayBits[row >> 6] & (1UL << (row & 63))) != 0
            && overlay[row].TryGetValue(field, out var written))
        {
            return written;
        }

        return GetStored(row, field);
    }

    public bool IsRowDeleted(int row) => deletedAt.ContainsKey(row);

    public long? DeletedAtMs(int row) => deletedAt.TryGetValue(row, out var at) ? at : null;

    public IEnumerable<(int Row, long DeletedAtMs)> Deleted => deletedAt.Select(p => (p.Key, p.Value));

    public bool Contains(int row) => row >= 0 && row < Count;

    /// <summary>Writes a value over the generated one. Callers hold the org lock.</summary>
    internal void Set(int row, FieldDef field, FieldValue value)
    {
        var word = row >> 6;
        if (word >= overlayBits.Length)
        {
            Array.Resize(ref overlayBits, Math.Max(word + 1, overlayBits.Length * 2));
        }

        overlayBits[word] |= 1UL << (row & 63);
        if (!overlay.TryGetValue(row, out var fields))
        {
            fields = [];
            overlay[row] = fields;
        }

        fields[field.Index] = value;
    }

    internal void MarkDeleted(int row, long atMs) => deletedAt[row] = atMs;

    internal void MarkUndeleted(int row) => deletedAt.Remove(row);

    protected abstract FieldValue GetStored(int row, int field);
}

/// <summary>
/// A growable array of row structs with by-reference access, stored in fixed chunks so growing a table of
/// millions of rows never copies it.
/// </summary>
public sealed class RowList<T>
    where T : struct
{
    private const int Shift = 16;
    private const int ChunkSize = 1 << Shift;
    private T[][] chunks;

    public RowList(int capacity)
    {
        chunks = new T[Math.Max(1, (capacity + ChunkSize - 1) >> Shift)][];
    }

    public int Count { get; private set; }

    public ref T this[int index] => ref chunks[index >> Shift][index & (ChunkSize - 1)];

    public int Add(in T item)
    {
        var chunk = Count >> Shift;
        if (chunk == chunks.Length)
        {
            Array.Resize(ref chunks, chunks.Length * 2);
        }

        chunks[chunk] ??= new T[ChunkSize];
        chunks[chunk][Count & (ChunkSize - 1)] = item;
        return Count++;
    }
}
