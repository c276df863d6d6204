namespace PipelineCoach.Notifications.Preferences;

/// <summary>The user ids the API takes: Salesforce's 18-character form, as UserChanged carries them.</summary>
internal static class UserIds
{
    public const string Requirement = "Use the 18-character Salesforce user id.";

    public static bool IsValid(string? id) => id is { Length: 18 } && id.All(char.IsAsciiLetterOrDigit);
}
