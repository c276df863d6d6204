using System.Reflection;
using MassTransit;

namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>
/// Names each contract's exchange after its explicit <c>MessageName</c> constant (e.g. <c>sync.opportunity-changed</c>)
/// so that exchange names do not follow CLR names by accident. Tools and tests that bind their own bus use it too.
/// </summary>
public sealed class ContractEntityNameFormatter(IEntityNameFormatter fallback) : IEntityNameFormatter
{
    public string FormatEntityName<T>() => MessageNameOf(typeof(T)) ?? fallback.FormatEntityName<T>();

    public static string? MessageNameOf(Type type) =>
        type.GetField("MessageName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
            ? (string?)field.GetRawConstantValue()
            : null;
}
