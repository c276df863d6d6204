using MassTransit;
using PipelineCoach.Notifications.Channels.Chat;
using PipelineCoach.Notifications.Channels.Webhooks;
using PipelineCoach.Notifications.Recipients;
using PipelineCoach.Notifications.Secrets;
using PipelineCoach.ServiceDefaults;

namespace PipelineCoach.Notifications;

internal static class NotificationsService
{
    public static readonly ServiceInfo Info = new("notifications", "Pipeline Coach — notifications", [NotificationsScopes.Read, NotificationsScopes.Write, NotificationsScopes.Admin])
    {
        AdminScope = NotificationsScopes.Admin,
        Assembly = typeof(NotificationsService).Assembly,
    };

    public static void AddConsumers(IBusRegistrationConfigurator bus) => bus.AddConsumer<UserChangedConsumer>();

    public static IServiceCollection AddNotificationsServices(this IServiceCollection services)
    {
        services.AddSecrets();
        services.AddWebhookChannel();
        services.AddChatChannels();
        return services;
    }

    public static WebApplication MapNotificationsApi(this WebApplication app)
    {
        app.MapChatDestinationsApi();
        return app;
    }
}

/// <summary>OAuth scopes of the Notifications API.</summary>
public static class NotificationsScopes
{
    public const string Read = "notifications.read";
    public const string Write = "notifications.write";

    /// <summary>Operator endpoints: the outbox\'s parked messages.</summary>
    public const string Admin = "notifications.admin";
}
