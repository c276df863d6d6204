namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>The <c>teams</c> channel: an Adaptive Card (<see cref="TeamsMessage"/>) to the delivery's Workflows webhook.</summary>
internal sealed class TeamsSender(ChatPoster poster) : IChannelSender
{
    public string Channel => ChannelNames.Teams;

    public Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken) =>
        poster.PostAsync(message, ChatProduct.Teams, TeamsMessage.ToJson, cancellationToken);
}
