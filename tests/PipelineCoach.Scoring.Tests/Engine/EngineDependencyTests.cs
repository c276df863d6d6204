using System.Reflection;
using System.Reflection.Emit;
using PipelineCoach.Scoring.Engine;

namespace PipelineCoach.Scoring.Tests.Engine;

/// <summary>
/// The engine is pure: it knows nothing of the Scorecards feature (storage, API, seeding) and does no I/O. Checked by
/// reflection over every type in the Engine namespace, compiler-generated ones included: base types, interfaces,
/// attributes, fields, properties, events, method and constructor signatures, locals, generic arguments, and every
/// type, method and field the method bodies refer to (read from the IL).
/// </summary>
[TestFixture]
public sealed class When_checking_what_the_engine_depends_on
{
    private const string EngineNamespace = "PipelineCoach.Scoring.Engine";

    private static readonly string[] IoAssemblies = ["Npgsql", "Dapper", "MassTransit", "PipelineCoach.ServiceDefaults"];

    private static readonly string[] IoNamespaces =
        ["Npgsql", "Dapper", "MassTransit", "System.Net", "System.Data", "System.IO", "Microsoft.AspNetCore", "Microsoft.Extensions.Hosting"];

    private static readonly Type[] EngineTypes =
        [.. typeof(ScorecardCompiler).Assembly.GetTypes().Where(type => IsIn(type.Namespace, EngineNamespace))];

    [Test]
    public void Should_find_the_engine_types_to_check()
    {
        Assert.That(EngineTypes, Has.Length.GreaterThan(10));
        Assert.That(References().Select(reference => reference.Referenced), Does.Contain(typeof(FactValue)),
            "the scan sees what method bodies use");
    }

    [Test]
    public void Should_reference_nothing_in_the_scorecards_feature()
    {
        var offending = References()
            .Where(reference => IsIn(reference.Referenced.Namespace, "PipelineCoach.Scoring.Scorecards"))
            .Select(reference => reference.ToString()).Distinct().Order();

        Assert.That(offending, Is.Empty);
    }

    [Test]
    public void Should_use_no_io_types()
    {
        var offending = References()
            .Where(reference => IoAssemblies.Any(name => IsIn(reference.Referenced.Assembly.GetName().Name, name))
                || IoNamespaces.Any(name => IsIn(reference.Referenced.Namespace, name))
                || reference.Referenced == typeof(HttpClient))
            .Select(reference => reference.ToString()).Distinct().Order();

        Assert.That(offending, Is.Empty);
    }

    private static bool IsIn(string? name, string root) =>
        name is not null && (name == root || name.StartsWith(root + ".", StringComparison.Ordinal));

    private sealed record Reference(Type Owner, string Where, Type Referenced)
    {
        public override string ToString() => $"{Owner.FullName} ({Where}) -> {Referenced.FullName ?? Referenced.Name}";
    }

    private static IEnumerable<Reference> References() =>
        EngineTypes.SelectMany(type => DirectReferences(type)
            .SelectMany(direct => Expand(direct.Type).Select(referenced => new Reference(type, direct.Where, referenced))));

    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static IEnumerable<(string Where, Type Type)> DirectReferences(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return ("base type", baseType);
        }

        foreach (var contract in type.GetInterfaces())
        {
            yield return ("interface", contract);
        }

        foreach (var attribute in type.GetCustomAttributesData())
        {
            yield return ("attribute", attribute.AttributeType);
        }

        foreach (var field in type.GetFields(Declared))
        {
            yield return ($"field {field.Name}", field.FieldType);
        }

        foreach (var property in type.GetProperties(Declared))
        {
            yield return ($"property {property.Name}", property.PropertyType);
        }

        foreach (var @event in type.GetEvents(Declared))
        {
            yield return ($"event {@event.Name}", @event.EventHandlerType!);
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info)
            {
                yield return ($"{method.Name} returns", info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return ($"{method.Name} parameter {parameter.Name}", parameter.ParameterType);
            }

            foreach (var attribute in method.GetCustomAttributesData())
            {
                yield return ($"{method.Name} attribute", attribute.AttributeType);
            }

            var body = method.GetMethodBody();
            if (body is null)
            {
                continue;
            }

            foreach (var local in body.LocalVariables)
            {
                yield return ($"{method.Name} local", local.LocalType);
            }

            foreach (var used in UsedInBody(method, body))
            {
                yield return ($"{method.Name} body", used);
            }
        }
    }

    /// <summary>The declaring and value types of every method, field and type token in a method's IL.</summary>
    private static IEnumerable<Type> UsedInBody(MethodBase method, MethodBody body)
    {
        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            var code = il[position] == 0xFE ? TwoByteOpCodes[il[position + 1]] : OneByteOpCodes[il[position]];
            position += code.Size;
            var operandSize = OperandSize(code.OperandType, il, position);
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                var member = method.Module.ResolveMember(BitConverter.ToInt32(il, position), typeArguments, methodArguments)!;
                switch (member)
                {
                    case Type used:
                        yield return used;
                        break;
                    case FieldInfo field:
                        yield return field.DeclaringType!;
                        yield return field.FieldType;
                        break;
                    case MethodBase called:
                        yield return called.DeclaringType!;
                        if (called is MethodInfo { ReturnType: var returned })
                        {
                            yield return returned;
                        }

                        foreach (var argument in called.IsGenericMethod ? called.GetGenericArguments() : [])
                        {
                            yield return argument;
                        }

                        break;
                }
            }

            position += operandSize;
        }
    }

    private static int OperandSize(OperandType operand, byte[] il, int position) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };

    private static readonly OpCode[] OneByteOpCodes = OpCodeTable(oneByte: true);

    private static readonly OpCode[] TwoByteOpCodes = OpCodeTable(oneByte: false);

    private static OpCode[] OpCodeTable(bool oneByte)
    {
        var table = new OpCode[256];
        foreach (var code in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(field => (OpCode)field.GetValue(null)!))
        {
            if ((code.Size == 1) == oneByte)
            {
                table[(ushort)code.Value & 0xFF] = code;
            }
        }

        return table;
    }

    /// <summary>A type with its element type, generic arguments and generic constraints, recursively.</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([type]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }

            yield return next;
            if (next.HasElementType)
            {
                pending.Push(next.GetElementType()!);
            }

            if (next.IsGenericParameter)
            {
                foreach (var constraint in next.GetGenericParameterConstraints())
                {
                    pending.Push(constraint);
                }
            }
            else if (next.IsGenericType)
            {
                foreach (var argument in next.GetGenericArguments())
                {
                    pending.Push(argument);
                }
            }
        }
    }
}
