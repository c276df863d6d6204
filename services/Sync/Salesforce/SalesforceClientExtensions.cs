using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using Refit;

namespace PipelineCoach.Sync.Salesforce;

public static class SalesforceClientExtensions
{
    /// <summary>
    /// The typed Salesforce client: Polly resilience outermost (jittered retries on 503/502/504, UNABLE_TO_LOCK_ROW and
    /// transport errors; a circuit breaker; per-attempt and total timeouts), then OAuth (one re-issue on 401), then the
    /// API budget.
    /// </summary>
    public static IServiceCollection AddSalesforceClient(this IServiceCollection services)
    {
        services.AddOptions<SalesforceApiOptions>()
            .BindConfiguration(SalesforceApiOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<SalesforceTokenProvider>();
        services.AddSingleton<ApiBudget>();
        services.AddTransient<SalesforceAuthHandler>();
        services.AddTransient<ApiBudgetHandler>();
        services.AddHttpClient(SalesforceTokenProvider.HttpClientName)
            .AddStandardResilienceHandler();

        var client = services.AddRefitGeneratedClient<ISalesforceApi>()
            .ConfigureHttpClient(http =>
            {
                // Replaced per call by the token's instance_url.
                http.BaseAddress = new Uri("https://instance.invalid");
                http.DefaultRequestHeaders.Add("Sforce-Call-Options", "client=pipeline-coach");
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
            });
        client.AddResilienceHandler("salesforce", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<SalesforceApiOptions>>().Value;
                pipeline
                    .AddTimeout(options.AttemptTimeout * (options.MaxRetries + 2))
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                        Delay = options.RetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldHandle = args => ShouldRetryAsync(args.Outcome, options.MaxRetries, args.Context.CancellationToken),
                    })
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        FailureRatio = 0.5,
                        MinimumThroughput = 20,
                        SamplingDuration = TimeSpan.FromSeconds(30),
                        BreakDuration = TimeSpan.FromSeconds(15),
                    })
                    .AddTimeout(options.AttemptTimeout);
            });
        client.AddHttpMessageHandler<SalesforceAuthHandler>().AddHttpMessageHandler<ApiBudgetHandler>();
        return services;
    }

    private static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, int maxRetries, CancellationToken cancellationToken) =>
        maxRetries > 0 && outcome switch
        {
            { Exception: HttpRequestException or TimeoutRejectedException } => true,
            { Result.StatusCode: HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout } => true,
            { Result: { IsSuccessStatusCode: false } response } => await SalesforceErrors.HasCodeAsync(response, "UNABLE_TO_LOCK_ROW", cancellationToken),
            _ => false,
        };
}
