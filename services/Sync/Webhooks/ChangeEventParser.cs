using System.Text.Json;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Webhooks;

/// <summary>
/// Parses a change-event webhook body: one CometD <c>data.payload</c> object or a JSON array of them. Pure: it
/// either returns every event or a list of errors naming the offending path, never half a batch.
/// </summary>
public static class ChangeEventParser
{
    private static readonly HashSet<string> ChangeTypes =
    [
        "CREATE", "UPDATE", "DELETE", "UNDELETE",
        "GAP_CREATE", "GAP_UPDATE", "GAP_DELETE", "GAP_UNDELETE", "GAP_OVERFLOW",
    ];

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public static ParseResult Parse(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return ParseResult.Fail(new Dictionary<string, string[]> { ["body"] = [$"Malformed JSON: {ex.Message}"] });
        }

        using (document)
        {
            var errors = new Dictionary<string, string[]>();
            var events = new List<ChangeEvent>();
            var root = document.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Object:
                    ParseOne(root, "", events, errors);
                    break;
                case JsonValueKind.Array when root.GetArrayLength() is > 0 and <= 1000:
                    var index = 0;
                    foreach (var item in root.EnumerateArray())
                    {
                        ParseOne(item, $"[{index++}].", events, errors);
                    }

                    break;
                case JsonValueKind.Array:
                    errors["body"] = ["An array of change events must hold between 1 and 1000 events."];
                    break;
                default:
                    errors["body"] = ["The body must be a change event object or an array of them."];
                    break;
            }

            return errors.Count > 0 ? ParseResult.Fail(errors) : ParseResult.Ok(events);
        }
    }

    private static void ParseOne(JsonElement payload, string path, List<ChangeEvent> events, Dictionary<string, string[]> errors)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            errors[path.TrimEnd('.')] = ["A change event must be a JSON object."];
            return;
        }

        if (!payload.TryGetProperty("ChangeEventHeader", out var header) || header.ValueKind != JsonValueKind.Object)
        {
            errors[path + "ChangeEventHeader"] = ["Required object."];
            return;
        }

        var headerPath = path + "ChangeEventHeader.";
        var problems = new List<(string Field, string Message)>();

        var entityName = RequiredString(header, "entityName", problems);
        var changeType = RequiredString(header, "changeType", problems);
        if (changeType is not null && !ChangeTypes.Contains(changeType))
        {
            problems.Add(("changeType", $"Unknown change type '{changeType}'."));
        }

        var transactionKey = RequiredString(header, "transactionKey", problems);
        var sequenceNumber = header.TryGetProperty("sequenceNumber", out var seq) && seq.TryGetInt32(out var s) ? s : (int?)null;
        if (sequenceNumber is null)
        {
            problems.Add(("sequenceNumber", "Required integer."));
        }

        var commitMs = header.TryGetProperty("commitTimestamp", out var ts) && ts.TryGetInt64(out var ms) ? ms : (long?)null;
        if (commitMs is null or < 0 or > 253_402_300_799_999)
        {
            problems.Add(("commitTimestamp", "Required epoch milliseconds."));
        }

        var recordIds = new List<string>();
        if (header.TryGetProperty("recordIds", out var ids) && ids.ValueKind == JsonValueKind.Array)
        {
            foreach (var id in ids.EnumerateArray())
            {
                var raw = id.ValueKind == JsonValueKind.String ? id.GetString()! : "";
                if (SalesforceId.TryNormalize(raw, out var normalized))
                {
                    recordIds.Add(normalized);
                }
                else if (raw.Length == 4 && raw[3] == '*')
                {
                    recordIds.Add(raw); // wildcard "006*": the whole entity changed (field type conversions)
                }
                else
                {
                    problems.Add(("recordIds", $"'{raw}' is not a Salesforce id."));
                }
            }
        }
        else if (changeType != "GAP_OVERFLOW")
        {
            problems.Add(("recordIds", "Required array of record ids."));
        }

        if (recordIds.Count == 0 && changeType is not null && changeType != "GAP_OVERFLOW" && !problems.Any(p => p.Field == "recordIds"))
        {
            problems.Add(("recordIds", "At least one record id is required."));
        }

        foreach (var group in problems.GroupBy(p => p.Field))
        {
            errors[headerPath + group.Key] = [.. group.Select(p => p.Message)];
        }

        if (problems.Count > 0)
        {
            return;
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in payload.EnumerateObject())
        {
            if (property.Name != "ChangeEventHeader")
            {
                fields[property.Name] = property.Value.Clone();
            }
        }

        events.Add(new ChangeEvent(
            new ChangeEventHeader(
                entityName!,
                recordIds,
                changeType!,
                StringArray(header, "changedFields"),
                StringArray(header, "nulledFields"),
                header.TryGetProperty("changeOrigin", out var origin) && origin.ValueKind == JsonValueKind.String ? origin.GetString() : null,
                transactionKey!,
                sequenceNumber!.Value,
                DateTimeOffset.FromUnixTimeMilliseconds(commitMs!.Value),
                header.TryGetProperty("commitNumber", out var cn) && cn.TryGetInt64(out var n) ? n : null,
                header.TryGetProperty("commitUser", out var cu) && cu.ValueKind == JsonValueKind.String ? cu.GetString() : null),
            fields,
            payload.GetRawText()));
    }

    private static string? RequiredString(JsonElement header, string name, List<(string, string)> problems)
    {
        if (header.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            return text;
        }

        problems.Add((name, "Required string."));
        return null;
    }

    private static string[] StringArray(JsonElement header, string name) =>
        header.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];
}

public sealed record ParseResult(IReadOnlyList<ChangeEvent> Events, IDictionary<string, string[]> Errors)
{
    public bool IsValid => Errors.Count == 0;

    public static ParseResult Ok(IReadOnlyList<ChangeEvent> events) => new(events, new Dictionary<string, string[]>());

    public static ParseResult Fail(IDictionary<string, string[]> errors) => new([], errors);
}
