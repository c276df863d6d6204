using System.Reflection;
using System.Text;
using System.Text.Json;
using PipelineCoach.Contracts.Cadence;
using PipelineCoach.Contracts.Notifications;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Contracts.Sync;

namespace PipelineCoach.Contracts.Tests;

/// <summary>
/// Pins each message's JSON shape (property names, JSON types, required-ness, nested types) and wire identity
/// against a committed snapshot. Adding an optional property changes the snapshot too: review it, then accept it
/// by copying the <c>.received.txt</c> file over the snapshot. Removing or renaming anything is a breaking change —
/// publish a new type instead.
/// </summary>
public sealed class When_a_published_contract_changes
{
    private static readonly Type[] Messages =
    [
        typeof(OpportunityChanged), typeof(OpportunityDeleted), typeof(UserChanged), typeof(AccountChanged),
        typeof(OpportunityScored), typeof(PipelineHealthChanged),
        typeof(CadenceOccurrenceDue), typeof(CadenceOccurrenceMissed),
        typeof(SalesforceTaskRequested), typeof(NotificationDelivered),
    ];

    private static IEnumerable<Type> AllMessages() => Messages;

    [TestCaseSource(nameof(AllMessages))]
    public void Should_keep_its_json_shape(Type message)
    {
        var shape = Describe(message);
        var snapshot = Path.Combine(TestContext.CurrentContext.TestDirectory, "Snapshots", $"{message.Name}.txt");
        var expected = File.Exists(snapshot) ? File.ReadAllText(snapshot) : "(no snapshot yet)";
        if (expected != shape)
        {
            var received = Path.Combine(SourceSnapshots(), $"{message.Name}.received.txt");
            File.WriteAllText(received, shape);
            TestContext.Out.WriteLine($"Shape written to {received}");
        }

        Assert.That(shape, Is.EqualTo(expected), $"{message.FullName} changed shape; see the .received.txt file beside the snapshot.");
    }

    [TestCaseSource(nameof(AllMessages))]
    public void Should_name_its_exchange_and_be_immutable(Type message)
    {
        var name = message.GetField("MessageName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string;
        Assert.That(name, Does.Match("^[a-z]+\\.[a-z-]+$"), "every contract declares an explicit message name");
        Assert.That(message.GetConstructors().All(c => c.GetParameters().Length == 0), Is.True, "init-only records, no positional constructors");
        Assert.That(message.GetProperties().All(p => p.SetMethod is null || p.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit")),
            Is.True, "immutable: init-only setters");
    }

    /// <summary>
    /// The path every message takes: the outbox row (ServiceDefaults' serializer options, written by the unit of work,
    /// read by the dispatcher; a single row and a batch row), then MassTransit's envelope on the wire, read by the
    /// consumer. Every property holds a non-default value, so a field any step drops or mangles fails here.
    /// </summary>
    [TestCaseSource(nameof(AllMessages))]
    public void Should_round_trip_every_property_through_the_outbox_and_the_broker(Type message)
    {
        var original = ContractSamples.Create(message);
        Assert.That(ContractSamples.DefaultValued(original), Is.Empty, "the sample sets every property to a non-default value");

        var row = JsonSerializer.Serialize(original, message, OutboxJson.Options);
        var fromRow = JsonSerializer.Deserialize(row, message, OutboxJson.Options)!;
        var rows = Array.CreateInstance(message, 2);
        rows.SetValue(ContractSamples.Create(message), 0);
        rows.SetValue(original, 1);
        var batch = JsonSerializer.Serialize(rows, message.MakeArrayType(), OutboxJson.Options);
        var fromBatch = ((Array)JsonSerializer.Deserialize(batch, message.MakeArrayType(), OutboxJson.Options)!).GetValue(1)!;
        var consumed = BrokerJson.RoundTrip(fromRow, message);

        Assert.Multiple(() =>
        {
            Assert.That(ContractSamples.Differences(original, fromRow, message.Name), Is.Empty, $"outbox row: {row}");
            Assert.That(ContractSamples.Differences(original, fromBatch, message.Name), Is.Empty, $"outbox batch row: {batch}");
            Assert.That(ContractSamples.Differences(original, consumed.Message, message.Name), Is.Empty, $"MassTransit envelope: {consumed.Body}");
        });
    }

    private static string Describe(Type message)
    {
        var text = new StringBuilder();
        text.AppendLine($"{message.FullName}, {message.Assembly.GetName().Name}");
        text.AppendLine($"message name: {message.GetField("MessageName")?.GetRawConstantValue()}");
        Describe(message, "", text, []);
        return text.ToString();
    }

    private static void Describe(Type type, string indent, StringBuilder text, HashSet<Type> seen)
    {
        if (!seen.Add(type))
        {
            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            var required = property.GetCustomAttributes().Any(a => a.GetType().Name == "RequiredMemberAttribute") ? "required" : "optional";
            var nullable = new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable ? "?" : "";
            text.AppendLine($"{indent}{JsonNamingPolicy.CamelCase.ConvertName(property.Name)}: {JsonType(property.PropertyType)}{nullable} ({required})");
            var nested = Nested(property.PropertyType);
            if (nested is not null)
            {
                Describe(nested, indent + "  ", text, seen);
            }
        }
    }

    private static Type? Nested(Type type)
    {
        var element = type.IsGenericType ? type.GetGenericArguments().Last() : type;
        return element.Namespace?.StartsWith("PipelineCoach.Contracts", StringComparison.Ordinal) == true ? element : null;
    }

    private static string JsonType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "string";
        if (type == typeof(bool)) return "boolean";
        if (type == typeof(int) || type == typeof(long)) return "integer";
        if (type == typeof(decimal) || type == typeof(double)) return "number";
        if (type == typeof(DateTimeOffset)) return "string(date-time)";
        if (type == typeof(DateOnly)) return "string(date)";
        if (type == typeof(Guid)) return "string(uuid)";
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)) return $"object<{JsonType(type.GetGenericArguments()[1])}>";
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)) return $"array<{JsonType(type.GetGenericArguments()[0])}>";
        return $"object({type.Name})";
    }

    private static string SourceSnapshots([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.Combine(Path.GetDirectoryName(file)!, "Snapshots");
}
