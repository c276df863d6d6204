namespace PipelineCoach.Notifications.Routing;

/// <summary>The ids the API takes: Salesforce's 18-character, case-safe form, as CRM sync's events carry them.</summary>
internal static class SalesforceIds
{
    public const string UserRequirement = "Use the 18-character Salesforce user id.";

    public static bool IsValid(string? id) => id is { Length: 18 } && id.All(char.IsAsciiLetterOrDigit);
}
