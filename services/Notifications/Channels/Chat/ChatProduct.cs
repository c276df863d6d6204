using System.Net;

namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>What differs between posting to Slack and to Teams, besides the payload.</summary>
/// <param name="GoneStatuses">Answers that mean the webhook URL is dead: retrying cannot help.</param>
internal sealed record ChatProduct(string Channel, string Name, IReadOnlySet<HttpStatusCode> GoneStatuses)
{
    /// <summary>404 <c>no_service</c> / <c>channel_not_found</c> (revoked), 410 <c>channel_is_archived</c>.</summary>
    public static readonly ChatProduct Slack = new(ChannelNames.Slack, "Slack", new HashSet<HttpStatusCode> { HttpStatusCode.NotFound, HttpStatusCode.Gone });

    /// <summary>401, 403 and 404 mean the flow or its URL is gone.</summary>
    public static readonly ChatProduct Teams = new(ChannelNames.Teams, "Teams",
        new HashSet<HttpStatusCode> { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.NotFound, HttpStatusCode.Gone });
}
