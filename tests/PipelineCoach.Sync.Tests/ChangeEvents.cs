using System.Globalization;
using System.Text.Json;

namespace PipelineCoach.Sync.Tests;

/// <summary>Change event payloads shaped as CometD delivers them in <c>data.payload</c>.</summary>
internal static class ChangeEvents
{
    private static long _sequence = 1;

    public static string NewOpportunityId() => PipelineCoach.Testing.TestIds.New("006");

    public static Dictionary<string, object?> Opportunity(
        string changeType, string[] recordIds, DateTimeOffset commit, Dictionary<string, object?> fields,
        string? transactionKey = null, string[]? changedFields = null, string? changeOrigin = null)
    {
        var payload = new Dictionary<string, object?>
        {
            ["ChangeEventHeader"] = new Dictionary<string, object?>
            {
                ["entityName"] = "Opportunity",
                ["recordIds"] = recordIds,
                ["changeType"] = changeType,
                ["changeOrigin"] = changeOrigin ?? "com/salesforce/api/rest/62.0;client=salesforce-ui",
                ["transactionKey"] = transactionKey ?? Guid.NewGuid().ToString(),
                ["sequenceNumber"] = Interlocked.Increment(ref _sequence),
                ["commitTimestamp"] = commit.ToUnixTimeMilliseconds(),
                ["commitNumber"] = 10_000_000 + _sequence,
                ["commitUser"] = "005000000000001AAA",
                ["changedFields"] = changedFields ?? (changeType == "UPDATE" ? [.. fields.Keys] : Array.Empty<string>()),
                ["nulledFields"] = Array.Empty<string>(),
                ["diffFields"] = Array.Empty<string>(),
            },
        };
        foreach (var (name, value) in fields)
        {
            payload[name] = value;
        }

        return payload;
    }

    public static Dictionary<string, object?> Created(string id, DateTimeOffset commit, string stage = "Prospecting") =>
        Opportunity("CREATE", [id], commit, new()
        {
            ["Name"] = "Acme — 500 seats",
            ["AccountId"] = "001000000000001AAA",
            ["OwnerId"] = "005000000000002AAA",
            ["StageName"] = stage,
            ["Amount"] = 125000.50m,
            ["CloseDate"] = "2026-12-31",
            ["NextStep"] = "Discovery call with the CFO",
            ["CreatedDate"] = commit.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["LastModifiedDate"] = commit.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["Compelling_Event_Date__c"] = "2026-12-15",
            ["Discount_Percent__c"] = 5,
        });

    public static string Json(object payload) => JsonSerializer.Serialize(payload);
}
