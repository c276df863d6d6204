using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using MassTransit.Serialization;
using PipelineCoach.ServiceDefaults.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace PipelineCoach.Testing;

/// <summary>
/// Proves that a message was published to RabbitMQ, not just marked dispatched: binds its own temporary queue
/// (exclusive, deleted with the probe) to the exchange MassTransit publishes <typeparamref name="T"/> to and collects
/// every message that reaches it. Start it before the action that publishes; only messages published after the
/// binding exists are seen.
/// </summary>
/// <example><code>
/// await using var published = await QueueProbe&lt;OpportunityChanged&gt;.StartAsync();
/// // ... post the webhook ...
/// var message = await published.WaitForAsync(m => m.OpportunityId == id, "the OpportunityChanged");
/// </code></example>
public sealed class QueueProbe<T> : IAsyncDisposable where T : class
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<ProbedMessage<T>> _messages = new();
    private readonly ConcurrentQueue<Exception> _unreadable = new();

    private QueueProbe(IConnection connection, IChannel channel, string exchange, string queue)
    {
        _connection = connection;
        _channel = channel;
        Exchange = exchange;
        Queue = queue;
    }

    /// <summary>The exchange probed: the contract's <c>MessageName</c>, as ServiceDefaults' entity name formatter names it.</summary>
    public string Exchange { get; }

    /// <summary>The probe's own server-named queue.</summary>
    public string Queue { get; }

    /// <summary>Every message received so far, in arrival order.</summary>
    public IReadOnlyList<ProbedMessage<T>> Messages => [.. _messages];

    /// <summary>The messages received so far whose contract matches <paramref name="predicate"/>.</summary>
    public IReadOnlyList<ProbedMessage<T>> Matching(Func<T, bool> predicate) => [.. _messages.Where(m => predicate(m.Message))];

    /// <summary>
    /// Binds a new queue to <typeparamref name="T"/>'s exchange on <paramref name="rabbitMqUri"/> (default: the test
    /// run's broker), declaring the exchange as MassTransit does (durable fanout) if no one published it yet.
    /// </summary>
    public static async Task<QueueProbe<T>> StartAsync(string? rabbitMqUri = null, CancellationToken cancellationToken = default)
    {
        var uri = rabbitMqUri ?? (await TestServers.RabbitMqAsync()).Uri;
        var exchange = ContractEntityNameFormatter.MessageNameOf(typeof(T))
            ?? throw new ArgumentException($"{typeof(T).FullName} declares no MessageName constant, so its exchange name is not known.");

        var connection = await new ConnectionFactory { Uri = new Uri(uri), ClientProvidedName = $"queue-probe {exchange}" }
            .CreateConnectionAsync(cancellationToken);
        try
        {
            var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken);
            await channel.QueueBindAsync(queue.QueueName, exchange, "", cancellationToken: cancellationToken);

            var probe = new QueueProbe<T>(connection, channel, exchange, queue.QueueName);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                probe.Receive(delivery);
                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer, cancellationToken);
            return probe;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>How many times a message with <paramref name="messageId"/> arrived so far (repeats included).</summary>
    public int CountOf(Guid messageId) => _messages.Count(m => m.MessageId == messageId);

    /// <summary>Whether every one of <paramref name="messageIds"/> has arrived.</summary>
    public bool HasAll(IEnumerable<Guid> messageIds)
    {
        var seen = _messages.Select(m => m.MessageId).ToHashSet();
        return messageIds.All(id => seen.Contains(id));
    }

    /// <summary>Waits for the first message matching <paramref name="predicate"/> and returns it.</summary>
    public async Task<ProbedMessage<T>> WaitForAsync(Func<T, bool> predicate, string waitingFor, TimeSpan? timeout = null) =>
        (await WaitForAsync(predicate, 1, waitingFor, timeout))[0];

    /// <summary>Waits until at least <paramref name="count"/> messages match <paramref name="predicate"/> and returns all that do.</summary>
    public async Task<IReadOnlyList<ProbedMessage<T>>> WaitForAsync(Func<T, bool> predicate, int count, string waitingFor, TimeSpan? timeout = null)
    {
        await Eventually.ValueAsync(
            () =>
            {
                ThrowIfUnreadable();
                return Task.FromResult(Matching(predicate).Count);
            },
            matching => matching >= count,
            $"{waitingFor} to reach a queue bound to '{Exchange}' (want {count} matching message(s))",
            timeout);
        return Matching(predicate);
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private void ThrowIfUnreadable()
    {
        if (_unreadable.TryPeek(out var error))
        {
            throw new InvalidOperationException($"A message on '{Exchange}' could not be read as {typeof(T).Name}.", error);
        }
    }

    private void Receive(BasicDeliverEventArgs delivery)
    {
        var body = Encoding.UTF8.GetString(delivery.Body.Span);
        try
        {
            using var document = JsonDocument.Parse(body);
            var envelope = document.RootElement;
            var message = envelope.GetProperty("message").Deserialize<T>(SystemTextJsonMessageSerializer.Options)
                ?? throw new JsonException("The envelope's message is null.");
            var headers = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in delivery.BasicProperties.Headers ?? new Dictionary<string, object?>())
            {
                headers[key] = value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString();
            }

            if (envelope.TryGetProperty("headers", out var envelopeHeaders) && envelopeHeaders.ValueKind == JsonValueKind.Object)
            {
                foreach (var header in envelopeHeaders.EnumerateObject())
                {
                    headers[header.Name] = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString() : header.Value.GetRawText();
                }
            }

            _messages.Enqueue(new ProbedMessage<T>(message, Id(envelope, "messageId"), Id(envelope, "correlationId"), Id(envelope, "conversationId"), headers, body));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            _unreadable.Enqueue(new InvalidDataException($"Unreadable message: {body}", ex));
        }
    }

    private static Guid? Id(JsonElement envelope, string name) =>
        envelope.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var id) ? id : null;
}
