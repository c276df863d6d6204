using FluentValidation;
using Microsoft.Extensions.Options;

namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>Registers the Slack and Teams channels and the chat-destinations API's services (after <c>AddWebhookChannel</c>, whose client they post through).</summary>
internal static class ChatChannelServiceExtensions
{
    public static IServiceCollection AddChatChannels(this IServiceCollection services)
    {
        services.AddOptions<ChatChannelOptions>().BindConfiguration(ChatChannelOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidator<ChatDestinationRequest>, ChatDestinationRequestValidator>();
        services.AddSingleton<ChatDestinationStore>();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ChatChannelOptions>>().Value;
            return new ChatPacer(options.PacingInterval, options.PacingMaxWait);
        });
        services.AddSingleton<ChatPoster>();
        services.AddSingleton<IChannelSender, SlackSender>();
        services.AddSingleton<IChannelSender, TeamsSender>();
        return services;
    }
}
