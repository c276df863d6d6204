using System.Collections;
using System.Reflection;

namespace PipelineCoach.Contracts.Tests;

/// <summary>
/// Builds a contract instance with a distinct, non-default value in every property (nested contracts, lists and
/// dictionaries included), and compares two instances property by property, so a field lost on the way shows.
/// </summary>
internal static class ContractSamples
{
    private static readonly DateTimeOffset Instant = new DateTimeOffset(2026, 11, 25, 9, 30, 15, 123, TimeSpan.FromHours(1)).AddTicks(4567);

    public static object Create(Type type)
    {
        var next = 0;
        return Create(type, ref next);
    }

    /// <summary>Properties (by path) whose sample value equals what a freshly constructed instance holds.</summary>
    public static IEnumerable<string> DefaultValued(object sample, string path = "")
    {
        var fresh = Activator.CreateInstance(sample.GetType())!;
        foreach (var property in Properties(sample.GetType()))
        {
            var value = property.GetValue(sample);
            var name = path + property.Name;
            if (value is null || Equals(value, property.GetValue(fresh)) || value is ICollection { Count: 0 })
            {
                yield return name;
            }
            else if (IsContract(property.PropertyType))
            {
                foreach (var nested in DefaultValued(value, name + "."))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>Every difference between <paramref name="expected"/> and <paramref name="actual"/>, by property path.</summary>
    public static IEnumerable<string> Differences(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            if (expected is not null || actual is not null)
            {
                yield return $"{path}: expected {expected ?? "null"}, was {actual ?? "null"}";
            }

            yield break;
        }

        var type = expected.GetType();
        if (IsContract(type))
        {
            foreach (var property in Properties(type))
            {
                foreach (var difference in Differences(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}"))
                {
                    yield return difference;
                }
            }
        }
        else if (expected is IDictionary expectedMap && actual is IDictionary actualMap)
        {
            var keys = expectedMap.Keys.Cast<object>().Union(actualMap.Keys.Cast<object>());
            foreach (var key in keys)
            {
                foreach (var difference in Differences(expectedMap.Contains(key) ? expectedMap[key] : "(missing)", actualMap.Contains(key) ? actualMap[key] : "(missing)", $"{path}[{key}]"))
                {
                    yield return difference;
                }
            }
        }
        else if (expected is IList expectedList && actual is IList actualList)
        {
            if (expectedList.Count != actualList.Count)
            {
                yield return $"{path}: expected {expectedList.Count} items, was {actualList.Count}";
                yield break;
            }

            for (var i = 0; i < expectedList.Count; i++)
            {
                foreach (var difference in Differences(expectedList[i], actualList[i], $"{path}[{i}]"))
                {
                    yield return difference;
                }
            }
        }
        else if (expected is DateTimeOffset expectedTime && actual is DateTimeOffset actualTime)
        {
            if (expectedTime.UtcTicks != actualTime.UtcTicks || expectedTime.Offset != actualTime.Offset)
            {
                yield return $"{path}: expected {expectedTime:O}, was {actualTime:O}";
            }
        }
        else if (!Equals(expected, actual))
        {
            yield return $"{path}: expected {expected}, was {actual}";
        }
    }

    private static object Create(Type type, ref int next)
    {
        var instance = Activator.CreateInstance(type)!;
        foreach (var property in Properties(type))
        {
            var nullability = new NullabilityInfoContext().Create(property);
            property.SetValue(instance, Value(property.PropertyType, property.Name, property.GetValue(instance), nullability, ref next));
        }

        return instance;
    }

    private static object? Value(Type type, string name, object? fresh, NullabilityInfo? nullability, ref int next)
    {
        var n = ++next;
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        if (plain == typeof(string)) return $"{name} {n} – ünïcode \"quoted\"";
        if (plain == typeof(bool)) return fresh is true ? false : true;
        if (plain == typeof(int)) return 1_000 + n;
        if (plain == typeof(long)) return 10_000_000_000L + n;
        if (plain == typeof(decimal)) return 123_456.789m + n;
        if (plain == typeof(double)) return 0.25 + n;
        if (plain == typeof(DateTimeOffset)) return Instant.AddMinutes(n);
        if (plain == typeof(DateOnly)) return new DateOnly(2027, 3, 1).AddDays(n);
        if (plain == typeof(Guid)) return new Guid(n, 2, 3, [4, 5, 6, 7, 8, 9, 10, 11]);
        if (plain.IsEnum) return Enum.GetValues(plain).GetValue(Enum.GetValues(plain).Length - 1);
        if (IsContract(plain)) return Create(plain, ref next);
        if (plain.IsGenericType && plain.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = plain.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(Value(element, name, null, nullability?.GenericTypeArguments[0], ref next));
            list.Add(Value(element, name, null, nullability?.GenericTypeArguments[0], ref next));
            return list;
        }

        if (plain.IsGenericType && plain.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) && plain.GetGenericArguments()[0] == typeof(string))
        {
            var valueType = plain.GetGenericArguments()[1];
            var map = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
            var valueNullability = nullability?.GenericTypeArguments[1];
            map[$"{name}_A__c"] = Value(valueType, name, null, valueNullability, ref next);
            map[$"{name}_B__c"] = Value(valueType, name, null, valueNullability, ref next);
            if (valueNullability?.ReadState == NullabilityState.Nullable)
            {
                map[$"{name}_Null__c"] = null; // a null value is data too (e.g. a custom field that was cleared)
            }

            return map;
        }

        throw new NotSupportedException($"{type} ({name}) has no sample value yet: add one to {nameof(ContractSamples)}.");
    }

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).OrderBy(p => p.MetadataToken);

    private static bool IsContract(Type type) =>
        type.Namespace?.StartsWith("PipelineCoach.Contracts", StringComparison.Ordinal) == true && !type.IsEnum;
}
