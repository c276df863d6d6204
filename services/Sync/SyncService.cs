using MassTransit;
using PipelineCoach.ServiceDefaults;
using PipelineCoach.ServiceDefaults.Retention;
using PipelineCoach.Sync.Mirror;
using PipelineCoach.Sync.Reconciliation;
using PipelineCoach.Sync.Salesforce;
using PipelineCoach.Sync.Status;
using PipelineCoach.Sync.Tasks;
using PipelineCoach.Sync.Webhooks;
using PipelineCoach.Sync.Webhooks.OutboundMessages;
using PipelineCoach.Sync.WriteBack;

namespace PipelineCoach.Sync;

internal static class SyncService
{
    public static readonly ServiceInfo Info = new("sync", "Pipeline Coach — CRM sync", [SyncScopes.Read, SyncScopes.Admin])
    {
        AdminScope = SyncScopes.Admin,
        Assembly = typeof(SyncService).Assembly,
    };

    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<OpportunityScoredConsumer>();
        bus.AddConsumer<SalesforceTaskRequestedConsumer>();
    }

    public static IServiceCollection AddSyncServices(this IServiceCollection services)
    {
        services.AddOptions<SalesforceOrgOptions>()
            .BindConfiguration(SalesforceOrgOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<OpportunityStore>();
        services.AddSingleton<FluentValidation.IValidator<OpportunityQuery>, OpportunityQueryValidator>();
        services.AddSingleton<ChangeEventIngestor>();
        services.AddSingleton<StandardWebhooksVerifier>();
        services.AddOutboundMessages();
        // Delivery dedup: Salesforce retries an outbound message for 24 h, so the retention period (7 days) is ample.
        services.AddRetainedTable("outbound_notifications", "received_at");
        services.AddSalesforcePull();
        return services;
    }

    public static WebApplication MapSyncApi(this WebApplication app)
    {
        app.MapChangeEventWebhook();
        app.MapOutboundMessageWebhook();
        app.MapOpportunitiesApi();
        app.MapUsersApi();
        app.MapReconcileApi();
        app.MapSyncStatusApi();
        return app;
    }
}

/// <summary>OAuth scopes of the Sync API.</summary>
public static class SyncScopes
{
    public const string Read = "sync.read";
    public const string Admin = "sync.admin";
}
