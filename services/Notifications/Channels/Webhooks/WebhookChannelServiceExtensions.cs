using FluentValidation;
using Microsoft.Extensions.Options;

namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>
/// Registers the guarded outbound HTTP client used for webhooks (and chat posts), the webhook endpoints' store and
/// validator, and the signed-webhook sender.
/// </summary>
internal static class WebhookChannelServiceExtensions
{
    /// <summary>Name of the <see cref="HttpClient"/> whose every connection goes through <see cref="GuardedConnector"/>.</summary>
    public const string HttpClientName = "outbound-webhooks";

    public static IServiceCollection AddWebhookChannel(this IServiceCollection services)
    {
        services.AddOptions<WebhookChannelOptions>()
            .BindConfiguration(WebhookChannelOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<WebhookEndpointStore>();
        services.AddSingleton<IValidator<WebhookEndpointRequest>, WebhookEndpointRequestValidator>();
        services.AddSingleton<IChannelSender, WebhookSender>();
        services.AddHttpClient(HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(15))
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = new GuardedConnector(sp.GetRequiredService<IOptions<WebhookChannelOptions>>().Value.AllowPrivateTargets).ConnectAsync,

                // A proxy would make the callback connect to the proxy, not the target; a redirect would leave the
                // URL that was validated. Standard Webhooks counts a 3xx as a failure anyway.
                UseProxy = false,
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        return services;
    }
}
