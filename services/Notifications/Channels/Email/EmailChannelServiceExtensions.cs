namespace PipelineCoach.Notifications.Channels.Email;

internal static class EmailChannelServiceExtensions
{
    /// <summary>The email channel: its options (validated on start), the renderer and the SMTP sender.</summary>
    public static IServiceCollection AddEmailChannel(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>()
            .BindConfiguration(EmailOptions.Section)
            .PostConfigure(options =>
            {
                if (options.Relays.Count == 0)
                {
                    options.Relays.Add(new EmailRelay { Host = "localhost", Port = 25 });
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<EmailRenderer>();
        services.AddSingleton<EmailMetrics>();

        // Timeouts and circuit breaks run on the wall clock (see EmailSender), not on the service's TimeProvider.
        services.AddSingleton<IChannelSender>(provider => ActivatorUtilities.CreateInstance<EmailSender>(provider, TimeProvider.System));
        return services;
    }
}
