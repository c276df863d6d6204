using MassTransit;
using Microsoft.Extensions.Options;

namespace PipelineCoach.Scoring.Opportunities;

internal sealed class OpportunityChangedConsumerDefinition : ConsumerDefinition<OpportunityChangedConsumer>
{
    private readonly ScoringOptions _options;

    public OpportunityChangedConsumerDefinition(IOptions<ScoringOptions> options)
    {
        _options = options.Value;
        ConcurrentMessageLimit = _options.ConsumerBatchSize * _options.ConsumerConcurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<OpportunityChangedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            // Enough messages in flight to fill every concurrent batch.
            rabbit.PrefetchCount = Math.Max(rabbit.PrefetchCount, _options.ConsumerBatchSize * _options.ConsumerConcurrency);
        }

        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(_options.ConsumerBatchSize)
            .SetTimeLimit(_options.ConsumerBatchTimeLimit)
            .SetConcurrencyLimit(_options.ConsumerConcurrency));
    }
}
