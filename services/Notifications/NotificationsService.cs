using MassTransit;
using PipelineCoach.Notifications.Channels.Chat;
using PipelineCoach.Notifications.Channels.Email;
using PipelineCoach.Notifications.Channels.SalesforceTasks;
using PipelineCoach.Notifications.Channels.Webhooks;
using PipelineCoach.Notifications.Channels;
using PipelineCoach.Notifications.Deliveries;
using PipelineCoach.Notifications.Digests;
using PipelineCoach.Notifications.Escalations;
using PipelineCoach.Notifications.Opportunities;
using PipelineCoach.Notifications.Preferences;
using PipelineCoach.Notifications.Recipients;
using PipelineCoach.Notifications.Routing;
using PipelineCoach.Notifications.Secrets;
using PipelineCoach.Notifications.Sources;
using PipelineCoach.Notifications.Subscriptions;
using PipelineCoach.ServiceDefaults;
using PipelineCoach.ServiceDefaults.Retention;

namespace PipelineCoach.Notifications;

internal static class NotificationsService
{
    public static readonly ServiceInfo Info = new("notifications", "Pipeline Coach — notifications", [NotificationsScopes.Read, NotificationsScopes.Write, NotificationsScopes.Admin])
    {
        AdminScope = NotificationsScopes.Admin,
        Assembly = typeof(NotificationsService).Assembly,
    };

    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<UserChangedConsumer>();
        bus.AddConsumer<OpportunityDirectoryConsumer, OpportunityDirectoryConsumerDefinition>();
        bus.AddConsumer<OpportunityScoredConsumer, OpportunityScoredConsumerDefinition>();
        bus.AddConsumer<RoutineSignalConsumers>();
    }

    public static IServiceCollection AddNotificationsServices(this IServiceCollection services)
    {
        services.AddOptions<NotificationsOptions>()
            .BindConfiguration(NotificationsOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.BusinessDayStart < o.BusinessDayEnd, "Notifications:BusinessDayStart must come before BusinessDayEnd.")
            .Validate(o => o.CriticalSignals is null || o.CriticalSignals.All(Signals.IsKnown), $"Notifications:CriticalSignals takes: {string.Join(", ", Signals.All)}.")
            .ValidateOnStart();
        services.AddSecrets();

        // The delivery log and the business keys are kept for Retention:Period (per-table overrides apply); a key
        // older than that no longer stops a replay of the same signal.
        services.AddRetainedTable("deliveries", "sent_at");
        services.AddRetainedTable("signals", "routed_at");
        services.AddSingleton<SignalRouter>();
        services.AddSingleton<DeliveryWake>();
        services.AddSingleton<DeliveryMetrics>();
        services.AddSingleton<DeliveryStore>();
        services.AddHealthChecks().AddCheck<DeliveryBacklogHealthCheck>("deliveries", tags: ["ready"]);
        services.AddSingleton<IChannelSender, SalesforceTaskSender>();
        services.AddSingleton<DeliveryDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<DeliveryDispatcher>());
        services.AddSingleton<DigestComposer>();
        services.AddHostedService(provider => provider.GetRequiredService<DigestComposer>());
        services.AddSingleton<EscalationScanner>();
        services.AddHostedService(provider => provider.GetRequiredService<EscalationScanner>());
        services.AddWebhookChannel();
        services.AddEmailChannel();
        services.AddPreferences();
        services.AddChatChannels();
        return services;
    }

    public static WebApplication MapNotificationsApi(this WebApplication app)
    {
        app.MapDeliveriesApi();
        app.MapChannelTestApi();
        app.MapWebhookEndpointsApi();
        app.MapPreferencesApi();
        app.MapSubscriptionsApi();
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
