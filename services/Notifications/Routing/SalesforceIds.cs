namespace PipelineCoach.Notifications.Routing;

/// <summary>The 18-character, case-safe Salesforce ids the API takes.</summary>
internal static class SalesforceIds
{
    public static bool IsId18(string? id) => id is { Length: 18 } && id.All(char.IsAsciiLetterOrDigit);
}
