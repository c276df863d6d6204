using System.Text.Json;

namespace PipelineCoach.Sync.Salesforce;

/// <summary>Reading records as the REST API returns them (<c>attributes</c> plus field values).</summary>
public static class SalesforceRecords
{
    public static Dictionary<string, JsonElement> Fields(JsonElement record)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in record.EnumerateObject())
        {
            if (property.Name != "attributes")
            {
                fields[property.Name] = property.Value;
            }
        }

        return fields;
    }

    /// <summary>A field value as invariant text (null for JSON null).</summary>
    public static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    public static string Id(IReadOnlyDictionary<string, JsonElement> fields) =>
        SalesforceId.Normalize(fields["Id"].GetString() ?? throw new FormatException("A record without Id."));

    public static DateTimeOffset SystemModstamp(IReadOnlyDictionary<string, JsonElement> fields) =>
        fields.TryGetValue("SystemModstamp", out var value) && SalesforceDateTime.TryParse(value.GetString(), out var stamp)
            ? stamp
            : throw new FormatException("Reconciliation queries must select SystemModstamp.");
}
