using MassTransit;
using Microsoft.Extensions.Options;
using PipelineCoach.Notifications.Opportunities;

namespace PipelineCoach.Notifications.Sources;

/// <summary>Batches for the high-volume consumers: many signals (or directory rows) per transaction.</summary>
internal abstract class BatchedConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    private readonly NotificationsOptions _options;

    protected BatchedConsumerDefinition(IOptions<NotificationsOptions> options)
    {
        _options = options.Value;
        ConcurrentMessageLimit = _options.ConsumerBatchSize * _options.ConsumerConcurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = Math.Max(rabbit.PrefetchCount, _options.ConsumerBatchSize * _options.ConsumerConcurrency);
        }

        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(_options.ConsumerBatchSize)
            .SetTimeLimit(_options.ConsumerBatchTimeLimit)
            .SetConcurrencyLimit(_options.ConsumerConcurrency));
    }
}

internal sealed class OpportunityScoredConsumerDefinition(IOptions<NotificationsOptions> options) : BatchedConsumerDefinition<OpportunityScoredConsumer>(options);

internal sealed class OpportunityDirectoryConsumerDefinition(IOptions<NotificationsOptions> options) : BatchedConsumerDefinition<OpportunityDirectoryConsumer>(options);
