using System.Reflection;
using System.Text.Json;
using PipelineCoach.ServiceDefaults.Messaging;

namespace PipelineCoach.Contracts.Tests;

/// <summary>The serializer options the services' outbox stores and reads message bodies with (ServiceDefaults' MessageSerializer).</summary>
internal static class OutboxJson
{
    public static readonly JsonSerializerOptions Options =
        typeof(MessagingExtensions).Assembly.GetType("PipelineCoach.ServiceDefaults.Messaging.MessageSerializer", throwOnError: true)!
            .GetField("Options", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as JsonSerializerOptions
        ?? throw new InvalidOperationException("ServiceDefaults' MessageSerializer.Options moved: point the contract tests at the options the outbox uses.");
}
