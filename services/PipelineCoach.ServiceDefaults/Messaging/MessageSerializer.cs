using System.Text.Json;

namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>How outbox rows store message bodies and types.</summary>
internal static class MessageSerializer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>"Namespace.Type, Assembly": stable as long as contracts are never moved or renamed.</summary>
    public static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    /// <summary>
    /// Resolves a stored type name, allowing only contract types so that a tampered row cannot make the
    /// dispatcher instantiate arbitrary types.
    /// </summary>
    public static Type ResolveType(string typeName)
    {
        var comma = typeName.IndexOf(',', StringComparison.Ordinal);
        var assembly = comma < 0 ? "" : typeName[(comma + 1)..].Trim();
        if (!assembly.StartsWith("PipelineCoach.Contracts.", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Outbox message type '{typeName}' is not a Pipeline Coach contract.");
        }

        return Type.GetType(typeName, throwOnError: true)!;
    }
}
