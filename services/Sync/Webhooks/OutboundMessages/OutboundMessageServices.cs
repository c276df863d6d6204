namespace PipelineCoach.Sync.Webhooks.OutboundMessages;

internal static class OutboundMessageServices
{
    public static IServiceCollection AddOutboundMessages(this IServiceCollection services)
    {
        services.AddOptions<OutboundMessageOptions>()
            .BindConfiguration(OutboundMessageOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<OutboundMessageGate>();
        services.AddSingleton<OutboundMessageIngestor>();
        return services;
    }
}
