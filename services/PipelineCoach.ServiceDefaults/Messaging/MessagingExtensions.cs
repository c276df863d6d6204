using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PipelineCoach.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit over RabbitMQ: quorum queues, publisher confirms, retry (then redelivery where configured),
    /// <c>_error</c> queues for poison messages, kebab-case endpoint names, plus the Dapper outbox dispatcher.
    /// </summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, string serviceName, Action<IBusRegistrationConfigurator> configureConsumers)
    {
        services.AddOptions<MessagingOptions>()
            .BindConfiguration(MessagingOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.RabbitMqUri, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps",
                "Messaging:RabbitMqUri must be an amqp:// or amqps:// URI.")
            .ValidateOnStart();
        services.AddOptions<OutboxOptions>()
            .BindConfiguration(OutboxOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Start only once every receive endpoint is bound, so nothing published right after start-up is dropped
        // for want of a queue binding; stop gracefully, letting in-flight consumers finish.
        services.AddOptions<MassTransitHostOptions>().Configure(options =>
        {
            options.WaitUntilStarted = true;
            options.StartTimeout = TimeSpan.FromMinutes(1);
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });

        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxMetrics>();
        services.AddSingleton<ParkedOutbox>();
        services.AddHostedService<OutboxDispatcher>();

        services.AddMassTransit(bus =>
        {
            // Queues are named per service (scoring-user-changed, notifications-user-changed): two services consuming
            // the same event must each get every message, not compete for them on one shared queue.
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            configureConsumers(bus);

            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                var options = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                    rabbit.PrefetchCount = options.PrefetchCount;
                }

                if (options.RedeliveryIntervals.Count > 0)
                {
                    endpoint.UseDelayedRedelivery(r => r.Intervals([.. options.RedeliveryIntervals]));
                }

                endpoint.UseMessageRetry(r => r.Intervals([.. options.RetryIntervals]));
                endpoint.UseConsumeFilter(typeof(ConsumeContextFilter<>), context);
            });

            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
                rabbit.Host(new Uri(options.RabbitMqUri), host => host.PublisherConfirmation = true);
                rabbit.MessageTopology.SetEntityNameFormatter(new ContractEntityNameFormatter(rabbit.MessageTopology.EntityNameFormatter));
                rabbit.ConfigureEndpoints(context);
            });
        });

        return services;
    }
}
