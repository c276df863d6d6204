using PipelineCoach.ServiceDefaults.Messaging;
using RabbitMQ.Client.Exceptions;

namespace PipelineCoach.ServiceDefaults.Tests;

/// <summary>
/// Which publish failures count against a row (and eventually park it) and which are the broker connection's (they
/// count against no row, so an outage parks nothing).
/// </summary>
public sealed class When_a_publish_fails
{
    public static IEnumerable<TestCaseData> TransportFailures()
    {
        yield return new TestCaseData(new BrokerUnreachableException(new IOException("connection refused"))).SetName("an unreachable broker");
        yield return new TestCaseData(new TimeoutException("no confirm")).SetName("a timeout");
        yield return new TestCaseData(new IOException("broken pipe")).SetName("an I/O error");
        yield return new TestCaseData(new InvalidOperationException("publish failed", new System.Net.Sockets.SocketException(111))).SetName("a socket error inside another");
        yield return new TestCaseData(new AggregateException(new InvalidOperationException("a"), new TimeoutException("b"))).SetName("an aggregate holding a timeout");
    }

    public static IEnumerable<TestCaseData> OwnFailures()
    {
        yield return new TestCaseData(new InvalidOperationException("The message could not be serialized")).SetName("a serialization failure");
        yield return new TestCaseData(new ArgumentException("bad header value")).SetName("an argument the bus rejects");
        yield return new TestCaseData(new NotSupportedException("message too large")).SetName("a message the client will not send");
    }

    [TestCaseSource(nameof(TransportFailures))]
    public void The_brokers_failures_count_against_no_row(Exception exception) =>
        Assert.That(OutboxDispatcher.IsTransportFailure(exception), Is.True);

    [TestCaseSource(nameof(OwnFailures))]
    public void The_messages_own_failures_count_against_its_row(Exception exception) =>
        Assert.That(OutboxDispatcher.IsTransportFailure(exception), Is.False);
}
