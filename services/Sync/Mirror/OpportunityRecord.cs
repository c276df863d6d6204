using System.Globalization;
using System.Text.Json;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Mirror;

/// <summary>
/// The mirrored opportunity row, and the pure merge of Salesforce field values into it. Fields the suite models get
/// columns; every other field is kept in <see cref="CustomFields"/> as raw JSON so nothing Salesforce sent is lost.
/// </summary>
public sealed class OpportunityRecord
{
    /// <summary>Key fields whose previous values travel on <see cref="OpportunityChanged.PreviousValues"/>.</summary>
    public static readonly string[] KeyFields = ["StageName", "CloseDate", "Amount", "OwnerId", "NextStep"];

    public required string Id { get; init; }
    public string? Name { get; set; }
    public string? AccountId { get; set; }
    public string? OwnerId { get; set; }
    public string? StageName { get; set; }
    public decimal? Amount { get; set; }
    public decimal? Probability { get; set; }
    public DateOnly? CloseDate { get; set; }
    public string? ForecastCategoryName { get; set; }
    public string? NextStep { get; set; }
    public DateOnly? LastActivityDate { get; set; }
    public bool? IsClosed { get; set; }
    public bool? IsWon { get; set; }
    public DateTimeOffset? CreatedDate { get; set; }
    public DateTimeOffset? LastModifiedDate { get; set; }
    public DateTimeOffset? SystemModstamp { get; set; }
    public Dictionary<string, JsonElement> CustomFields { get; init; } = new(StringComparer.Ordinal);
    public bool IsDeleted { get; set; }
    public DateTimeOffset SourceVersion { get; set; }

    /// <summary>Place of the applied change within its Salesforce transaction (see <see cref="MirrorVersion"/>).</summary>
    public int SourceSequence { get; set; } = MirrorVersion.SnapshotSequence;

    /// <summary>The version of the newest change applied, compared by <see cref="MirrorVersion.IsNewer"/>.</summary>
    public MirrorVersion Version
    {
        get => new(SourceVersion, SourceSequence);
        set => (SourceVersion, SourceSequence) = (value.At, value.Sequence);
    }

    /// <summary>Signals derived from OpportunityHistory; null until history has been polled.</summary>
    public OpportunityHistorySummary? History { get; set; }

    /// <summary>Applies field values (from a change event or an outbound message) and explicitly nulled fields.</summary>
    public void Apply(IReadOnlyDictionary<string, JsonElement> fields, IEnumerable<string> nulledFields)
    {
        foreach (var (name, value) in fields)
        {
            Set(name, value);
        }

        foreach (var name in nulledFields)
        {
            Set(name, default);
        }
    }

    /// <summary>
    /// Applies one field as a SOAP outbound message carries it: text, or null for <c>xsi:nil</c>. Unknown fields are
    /// kept as JSON strings in <see cref="CustomFields"/>.
    /// </summary>
    public void ApplyText(string name, string? value)
    {
        switch (name)
        {
            case "Id": break;
            case "Name": Name = value; break;
            case "AccountId": AccountId = Id18(value); break;
            case "OwnerId": OwnerId = Id18(value); break;
            case "StageName": StageName = value; break;
            case "Amount": Amount = Number(value); break;
            case "Probability": Probability = Number(value); break;
            case "CloseDate": CloseDate = Date(value); break;
            case "ForecastCategoryName": ForecastCategoryName = value; break;
            case "NextStep": NextStep = value; break;
            case "LastActivityDate": LastActivityDate = Date(value); break;
            case "IsClosed": IsClosed = Bool(value); break;
            case "IsWon": IsWon = Bool(value); break;
            case "CreatedDate": CreatedDate = Timestamp(value); break;
            case "LastModifiedDate": LastModifiedDate = Timestamp(value); break;
            case "SystemModstamp": SystemModstamp = Timestamp(value); break;
            case "IsDeleted": IsDeleted = Bool(value) ?? false; break;
            default: CustomFields[name] = value is null ? NullElement : JsonSerializer.SerializeToElement(value); break;
        }
    }

    /// <summary>Current values of <see cref="KeyFields"/>, as invariant strings.</summary>
    public Dictionary<string, string?> KeyValues() => new(StringComparer.Ordinal)
    {
        ["StageName"] = StageName,
        ["CloseDate"] = CloseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["Amount"] = Amount?.ToString(CultureInfo.InvariantCulture),
        ["OwnerId"] = OwnerId,
        ["NextStep"] = NextStep,
    };

    public OpportunitySnapshot ToSnapshot() => new()
    {
        Id = Id,
        Name = Name,
        AccountId = AccountId,
        OwnerId = OwnerId,
        StageName = StageName,
        Amount = Amount,
        Probability = Probability,
        CloseDate = CloseDate,
        ForecastCategoryName = ForecastCategoryName,
        NextStep = NextStep,
        LastActivityDate = LastActivityDate,
        IsClosed = IsClosed,
        IsWon = IsWon,
        CreatedDate = CreatedDate,
        LastModifiedDate = LastModifiedDate,
        SystemModstamp = SystemModstamp,
        CustomFields = CustomFields.ToDictionary(f => f.Key, f => AsInvariantString(f.Value), StringComparer.Ordinal),
    };

    /// <summary>The fields with columns; every other field is kept in <see cref="CustomFields"/> with its JSON type.</summary>
    private static readonly HashSet<string> ColumnFields =
    [
        "Id", "Name", "AccountId", "OwnerId", "StageName", "Amount", "Probability", "CloseDate", "ForecastCategoryName",
        "NextStep", "LastActivityDate", "IsClosed", "IsWon", "CreatedDate", "LastModifiedDate", "SystemModstamp", "IsDeleted",
    ];

    private void Set(string name, JsonElement value)
    {
        if (!ColumnFields.Contains(name))
        {
            CustomFields[name] = value.ValueKind == JsonValueKind.Undefined ? NullElement : value;
            return;
        }

        // Date-times may come as epoch milliseconds (Pub/Sub-shaped payloads); everything else is read as text.
        var isTimestamp = name is "CreatedDate" or "LastModifiedDate" or "SystemModstamp";
        var text = isTimestamp && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("O", CultureInfo.InvariantCulture)
            : AsInvariantString(value);
        ApplyText(name, text);
    }

    private static readonly JsonElement NullElement = JsonDocument.Parse("null").RootElement.Clone();

    private static string? Id18(string? v) => v is not null && SalesforceId.TryNormalize(v, out var normalized) ? normalized : v;

    private static decimal? Number(string? v) =>
        decimal.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static bool? Bool(string? v) => v switch { "true" or "1" => true, "false" or "0" => false, _ => null };

    private static DateOnly? Date(string? v) =>
        v is { Length: >= 10 } && DateOnly.TryParseExact(v.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static DateTimeOffset? Timestamp(string? v) => SalesforceDateTime.TryParse(v, out var t) ? t : null;

    private static string? AsInvariantString(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => v.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => v.GetRawText(),
    };
}
