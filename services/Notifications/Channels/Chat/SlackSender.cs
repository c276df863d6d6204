namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>The <c>slack</c> channel: a Block Kit message (<see cref="SlackMessage"/>) to the delivery's chat destination.</summary>
internal sealed class SlackSender(ChatPoster poster) : IChannelSender
{
    public string Channel => ChannelNames.Slack;

    public Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken) =>
        poster.PostAsync(message, ChatProduct.Slack, SlackMessage.ToJson, cancellationToken);
}
