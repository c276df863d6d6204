namespace PipelineCoach.Notifications.Preferences;

/// <summary>How a recipient takes non-urgent notices: one by one, or rolled into an hourly or daily digest.</summary>
public static class DigestModes
{
    public const string None = "none";
    public const string Hourly = "hourly";
    public const string Daily = "daily";

    public static readonly IReadOnlyList<string> All = [None, Hourly, Daily];
}
