using System.Text.Json;
using PipelineCoach.ServiceDefaults.Messaging;

namespace PipelineCoach.Contracts.Tests;

/// <summary>The serializer options the services' outbox stores and reads message bodies with (ServiceDefaults' MessageSerializer).</summary>
internal static class OutboxJson
{
    public static readonly JsonSerializerOptions Options = MessageSerializer.Options;
}
