namespace PipelineCoach.Testing;

/// <summary>
/// A message as it arrived on a <see cref="QueueProbe{T}"/>'s queue: the contract deserialised from MassTransit's
/// envelope, the envelope's ids, the headers (AMQP headers, then the envelope's, e.g. <c>traceparent</c>) and the raw
/// envelope JSON.
/// </summary>
public sealed record ProbedMessage<T>(
    T Message,
    Guid? MessageId,
    Guid? CorrelationId,
    Guid? ConversationId,
    IReadOnlyDictionary<string, string?> Headers,
    string Body) where T : class;
