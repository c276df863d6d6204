using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using PipelineCoach.ServiceDefaults.Auth;
using Polly;
using Polly.Timeout;
using Refit;

namespace PipelineCoach.Cadence.Agendas.Scoring;

internal static class ScoringClientExtensions
{
    public const string ReadScope = "scoring.read";

    /// <summary>
    /// The typed Scoring client: a total timeout, jittered retries on transient failures, a circuit breaker shared by
    /// every batch (so a dead Scoring is given up on quickly), a per-attempt timeout, then the service token.
    /// </summary>
    public static IServiceCollection AddScoringClient(this IServiceCollection services)
    {
        services.AddOptions<ScoringClientOptions>()
            .BindConfiguration(ScoringClientOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ScoringClientOptions>, ScoringClientOptionsValidator>();

        var client = services.AddRefitGeneratedClient<IScoringApi>()
            .ConfigureHttpClient((provider, http) =>
            {
                // Unconfigured, the client is never called (agendas use local data); the placeholder keeps it constructible.
                http.BaseAddress = provider.GetRequiredService<IOptions<ScoringClientOptions>>().Value.BaseUrl ?? new Uri("http://scoring.invalid");
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
            });
        client.AddResilienceHandler("scoring", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<ScoringClientOptions>>().Value;
            // Timeouts and retry delays are about the network, so they run on the wall clock, not on the service's
            // TimeProvider (a test's fake clock would never let a delay end).
            pipeline.TimeProvider = TimeProvider.System;
            pipeline
                .AddTimeout((options.AttemptTimeout * (options.MaxRetries + 1)) + (options.RetryDelay * (1 << options.MaxRetries)))
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                    Delay = options.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0 && IsTransient(args.Outcome)),
                })
                .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = 10,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = TimeSpan.FromSeconds(15),
                })
                .AddTimeout(options.AttemptTimeout);
        });
        client.AddServiceToken(ReadScope);
        return services;
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result.StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout } => true,
        { Result.StatusCode: >= HttpStatusCode.InternalServerError } => true,
        _ => false,
    };
}
