using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.OpenApi;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PipelineCoach.ServiceDefaults.Auth;
using PipelineCoach.ServiceDefaults.Data;
using PipelineCoach.ServiceDefaults.Health;
using PipelineCoach.ServiceDefaults.Messaging;
using PipelineCoach.ServiceDefaults.Retention;

namespace PipelineCoach.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Everything a Pipeline Coach service shares, one call per concern: JSON logs, OpenTelemetry, problem details,
    /// JWT auth with scopes, Swagger, its PostgreSQL database with migrations, MassTransit with the outbox, health.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(
        this WebApplicationBuilder builder,
        ServiceInfo service,
        Action<IBusRegistrationConfigurator> configureConsumers)
    {
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton(TimeProvider.System);

        builder.AddJsonLogging();
        builder.Services.AddTelemetry(service);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier));
        builder.Services.AddScopedJwtAuth(service.Scopes);
        builder.Services.AddSwagger(service);

        // Registered before MassTransit so that migrations finish before consumers start.
        builder.Services.AddServiceDatabase();
        builder.Services.AddHostedService<MigrationHostedService>();
        builder.Services.AddMessaging(service.Name, configureConsumers);
        builder.Services.AddRetention();

        builder.Services.AddHealthChecks()
            .AddNpgSql(name: "postgresql", tags: ["ready"]);

        return builder;
    }

    private static void AddJsonLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
    }

    private static void AddTelemetry(this IServiceCollection services, ServiceInfo service)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService($"pipeline-coach-{service.Name}"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit", OutboxMetrics.MeterName, RetentionService.MeterName, $"PipelineCoach.{service.Name}")
                .AddPrometheusExporter());

        // Traces are recorded only where an OTLP collector is configured (standard OTEL_* variables). Recording them
        // with nowhere to send them would still build a span for every message and every SQL command, about a fifth
        // of the scoring service's CPU under load.
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsInfrastructurePath(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddSource("MassTransit", OutboxDispatcher.ActivitySourceName)
                .AddNpgsql()
                .AddOtlpExporter());
        }
    }

    private static void AddSwagger(this IServiceCollection services, ServiceInfo service)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo { Title = service.Title, Version = "v1" });
            options.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = $"JWT with scopes: {string.Join(", ", service.Scopes)}. deploy/local/up.sh prints a local token.",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("Bearer", document)] = [],
            });
        });
    }

    /// <summary>
    /// Problem details for errors, auth (every endpoint needs a caller unless it allows anonymous ones), health,
    /// Prometheus, Swagger and the outbox's operator endpoints.
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Swagger is middleware, not an endpoint: before authorization, so the fallback policy does not close it.
        app.UseSwagger();
        app.UseSwaggerUI();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponseWriter.WriteAsync })
            .AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = HealthResponseWriter.WriteAsync })
            .AllowAnonymous();
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        app.MapOutboxAdminApi(app.Services.GetRequiredService<ServiceInfo>());
        return app;
    }

    /// <summary>
    /// Runs the service, or runs one of its commands and exits: <c>migrate</c> applies its migrations (for deploy jobs
    /// and init containers); <c>outbox parked</c> lists parked outbox rows; <c>outbox requeue ID|--all</c> requeues them.
    /// </summary>
    public static async Task<int> RunServiceAsync(this WebApplication app, string[] args)
    {
        switch (args)
        {
            case ["migrate"]:
                await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
                return 0;
            case ["outbox", .. var rest]:
                return await OutboxCommand.RunAsync(app.Services.GetRequiredService<ParkedOutbox>(), rest, Console.Out, CancellationToken.None);
            default:
                await app.RunAsync();
                return 0;
        }
    }

    private static bool IsInfrastructurePath(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics") || path.StartsWithSegments("/swagger");
}
