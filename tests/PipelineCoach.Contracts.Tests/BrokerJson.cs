using System.Reflection;
using System.Text;
using MassTransit;
using MassTransit.Context;
using MassTransit.Serialization;

namespace PipelineCoach.Contracts.Tests;

/// <summary>A message through MassTransit's own envelope serializer, as the bus publishes it and a consumer reads it.</summary>
internal static class BrokerJson
{
    public static (object Message, string Body) RoundTrip(object message, Type type) =>
        ((object, string))typeof(BrokerJson).GetMethod(nameof(RoundTripOf), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, [message])!;

    private static (object Message, string Body) RoundTripOf<T>(T message) where T : class
    {
        var serializer = SystemTextJsonMessageSerializer.Instance;
        var send = new MessageSendContext<T>(message, CancellationToken.None) { MessageId = NewId.NextGuid() };
        var body = serializer.GetMessageBody(send).GetBytes();
        var received = serializer.Deserialize(new BytesMessageBody(body), send.Headers, null);
        if (!received.TryGetMessage<T>(out var consumed) || consumed is null)
        {
            throw new InvalidOperationException($"MassTransit could not read its own {typeof(T).Name} envelope.");
        }

        return (consumed, Encoding.UTF8.GetString(body));
    }
}
