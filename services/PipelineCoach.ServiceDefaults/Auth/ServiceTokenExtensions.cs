using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PipelineCoach.ServiceDefaults.Auth;

public static class ServiceTokenExtensions
{
    /// <summary>
    /// Calls through this client carry a service token with <paramref name="scopes"/>: client credentials from
    /// <c>Auth:ClientCredentials</c> when configured, else minted from the local <c>Auth:SigningKey</c>.
    /// </summary>
    public static IHttpClientBuilder AddServiceToken(this IHttpClientBuilder client, params string[] scopes)
    {
        var services = client.Services;
        services.AddOptions<ClientCredentialsOptions>().BindConfiguration(ClientCredentialsOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClientCredentialsOptions>, ClientCredentialsOptionsValidator>());
        services.AddHttpClient(ServiceTokenProvider.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        // Token times are checked by the issuer's and the callee's clocks, so they follow the wall clock, not the
        // service's TimeProvider (which tests replace with a fake one standing in the past).
        services.TryAddSingleton(provider => new ServiceTokenProvider(
            provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<IOptions<AuthOptions>>(),
            provider.GetRequiredService<IOptions<ClientCredentialsOptions>>(),
            provider.GetRequiredService<IHostEnvironment>(),
            TimeProvider.System,
            provider.GetRequiredService<ILogger<ServiceTokenProvider>>()));
        return client.AddHttpMessageHandler(provider => new ServiceTokenHandler(provider.GetRequiredService<ServiceTokenProvider>(), scopes));
    }
}
