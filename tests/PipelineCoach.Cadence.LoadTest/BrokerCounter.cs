using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using PipelineCoach.Contracts.Cadence;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace PipelineCoach.Cadence.LoadTest;

/// <summary>
/// Counts what really reached RabbitMQ: a temporary queue bound to the <see cref="CadenceOccurrenceDue"/> exchange,
/// consumed as it fills. Each delivery's MessageId (the occurrence id) is tallied, so duplicates and losses show; one
/// body in a hundred is parsed to check the envelope's message id is the occurrence's.
/// </summary>
internal sealed class BrokerCounter : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentDictionary<Guid, int> _seen = new();
    private long _deliveries;
    private long _mismatched;
    private long _lastArrival;

    private BrokerCounter(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public long Deliveries => Interlocked.Read(ref _deliveries);

    public int Distinct => _seen.Count;

    /// <summary>Deliveries whose envelope's occurrence id differed from their MessageId (sampled).</summary>
    public long Mismatched => Interlocked.Read(ref _mismatched);

    /// <summary>The Stopwatch timestamp of the latest delivery.</summary>
    public long LastArrival => Interlocked.Read(ref _lastArrival);

    public IReadOnlyDictionary<Guid, int> Seen => _seen;

    public static async Task<BrokerCounter> StartAsync(string rabbitMqUri)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(rabbitMqUri), ClientProvidedName = "cadence-load broker counter" }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(CadenceOccurrenceDue.MessageName, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, CadenceOccurrenceDue.MessageName, "");
        var counter = new BrokerCounter(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            counter.Receive(delivery);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return counter;
    }

    public void Reset()
    {
        _seen.Clear();
        Interlocked.Exchange(ref _deliveries, 0);
        Interlocked.Exchange(ref _mismatched, 0);
    }

    private void Receive(BasicDeliverEventArgs delivery)
    {
        var number = Interlocked.Increment(ref _deliveries);
        var envelopeId = number % 100 == 1 || delivery.BasicProperties.MessageId is null ? EnvelopeIds(delivery.Body.Span) : default;
        var id = Guid.TryParse(delivery.BasicProperties.MessageId, out var property) ? property : envelopeId.MessageId;
        if (envelopeId.OccurrenceId is { } occurrence && occurrence != id)
        {
            Interlocked.Increment(ref _mismatched);
        }

        _seen.AddOrUpdate(id, 1, (_, count) => count + 1);
        Interlocked.Exchange(ref _lastArrival, Stopwatch.GetTimestamp());
    }

    private static (Guid MessageId, Guid? OccurrenceId) EnvelopeIds(ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(body));
        var envelope = document.RootElement;
        var messageId = Guid.Parse(envelope.GetProperty("messageId").GetString()!);
        var occurrenceId = Guid.Parse(envelope.GetProperty("message").GetProperty("occurrenceId").GetString()!);
        return (messageId, occurrenceId);
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
