using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>
/// What an outbox row remembers of the context that wrote it, so the publish continues the same trace and
/// conversation: the W3C trace context of the current activity and the MassTransit ids of the message being consumed
/// (set by <see cref="ConsumeContextFilter{T}"/>). Stored as the row's <c>headers</c> (jsonb).
/// </summary>
public sealed record OutboxHeaders(
    [property: JsonPropertyName("traceparent")] string? TraceParent,
    [property: JsonPropertyName("tracestate")] string? TraceState,
    [property: JsonPropertyName("conversationId")] Guid? ConversationId,
    [property: JsonPropertyName("correlationId")] Guid? CorrelationId)
{
    private static readonly AsyncLocal<(Guid? ConversationId, Guid? CorrelationId)> Consuming = new();

    /// <summary>The ids of the message being consumed on this flow; set around a consumer by <see cref="ConsumeContextFilter{T}"/>.</summary>
    internal static (Guid? ConversationId, Guid? CorrelationId) CurrentConsume
    {
        get => Consuming.Value;
        set => Consuming.Value = value;
    }

    /// <summary>The headers of the current flow as JSON, or null when there is nothing to carry.</summary>
    public static string? CaptureJson()
    {
        var activity = Activity.Current;
        var (conversationId, correlationId) = Consuming.Value;
        var traceParent = activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : null;
        if (traceParent is null && conversationId is null && correlationId is null)
        {
            return null;
        }

        return JsonSerializer.Serialize(new OutboxHeaders(traceParent, activity?.TraceStateString, conversationId, correlationId));
    }

    public static OutboxHeaders? Parse(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<OutboxHeaders>(json);
}
