namespace PipelineCoach.Notifications.Channels;

/// <summary>The channel names used in preferences, deliveries and <c>POST /api/v1/channels/test</c>.</summary>
public static class ChannelNames
{
    public const string Email = "email";
    public const string Slack = "slack";
    public const string Teams = "teams";
    public const string Webhook = "webhook";
    public const string SalesforceTask = "salesforce-task";

    public static readonly IReadOnlyList<string> All = [Email, Slack, Teams, Webhook, SalesforceTask];

    /// <summary>Channels a person can choose in their preferences (webhooks are endpoints, not people).</summary>
    public static readonly IReadOnlyList<string> ForRecipients = [Email, Slack, Teams, SalesforceTask];

    public static bool IsKnown(string? channel) => channel is not null && All.Contains(channel);
}
