using System.Text.Json;
using MassTransit.Serialization;
using PipelineCoach.ServiceDefaults.Messaging;
using RabbitMQ.Client;

namespace PipelineCoach.Notifications.LoadTest;

/// <summary>
/// Publishes MassTransit envelopes straight to a contract's exchange with publisher confirms, serialized before the
/// clock starts: the stimulus costs the shared cores as little as possible, so the figure is the service's.
/// </summary>
internal static class BrokerPublisher
{
    public const int InFlight = 1000;

    /// <summary>The envelope MassTransit's JSON serializer reads: the message id, the message type URN and the message.</summary>
    public static ReadOnlyMemory<byte> Envelope<T>(T message) where T : class => JsonSerializer.SerializeToUtf8Bytes(new
    {
        messageId = Guid.NewGuid(),
        messageType = new[] { $"urn:message:{typeof(T).Namespace}:{typeof(T).Name}" },
        message,
        sentTime = DateTimeOffset.UtcNow,
    }, SystemTextJsonMessageSerializer.Options);

    public static async Task PublishAsync<T>(string rabbitMqUri, IReadOnlyList<ReadOnlyMemory<byte>> envelopes) where T : class
    {
        var exchange = ContractEntityNameFormatter.MessageNameOf(typeof(T))!;
        await using var connection = await new ConnectionFactory { Uri = new Uri(rabbitMqUri), ClientProvidedName = "notifications-load publisher" }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, outstandingPublisherConfirmationsRateLimiter: null));
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", DeliveryMode = DeliveryModes.Persistent };
        var confirms = new List<ValueTask>(InFlight);
        foreach (var envelope in envelopes)
        {
            confirms.Add(channel.BasicPublishAsync(exchange, "", mandatory: false, properties, envelope));
            if (confirms.Count == InFlight)
            {
                await ConfirmedAsync(confirms);
            }
        }

        await ConfirmedAsync(confirms);
    }

    private static async Task ConfirmedAsync(List<ValueTask> confirms)
    {
        foreach (var confirm in confirms)
        {
            await confirm;
        }

        confirms.Clear();
    }
}
