using System.Collections.Frozen;

namespace PipelineCoach.Scoring.Engine;

/// <summary>The operator names a condition may use, and which fact types accept each.</summary>
public static class ConditionOperators
{
    public const string IsSet = "isSet";
    public const string IsNotSet = "isNotSet";
    public const string IsTrue = "isTrue";
    public const string IsFalse = "isFalse";
    public const string Eq = "eq";
    public const string Ne = "ne";
    public const string Gt = "gt";
    public const string Gte = "gte";
    public const string Lt = "lt";
    public const string Lte = "lte";
    public const string In = "in";
    public const string NotIn = "notIn";
    public const string Contains = "contains";
    public const string AtOrAfter = "atOrAfter";
    public const string Before = "before";
    public const string ContainsAny = "containsAny";
    public const string ContainsAll = "containsAll";
    public const string ContainsNone = "containsNone";
    public const string DaysSinceAtLeast = "daysSinceAtLeast";
    public const string DaysSinceAtMost = "daysSinceAtMost";
    public const string DaysUntilAtLeast = "daysUntilAtLeast";
    public const string DaysUntilAtMost = "daysUntilAtMost";

    public static readonly FrozenDictionary<FactType, FrozenSet<string>> ByType = new Dictionary<FactType, FrozenSet<string>>
    {
        [FactType.Number] = Set(IsSet, IsNotSet, Eq, Ne, Gt, Gte, Lt, Lte),
        [FactType.Text] = Set(IsSet, IsNotSet, Eq, Ne, In, NotIn, Contains),
        [FactType.Date] = Set(IsSet, IsNotSet, DaysSinceAtLeast, DaysSinceAtMost, DaysUntilAtLeast, DaysUntilAtMost),
        [FactType.Boolean] = Set(IsSet, IsNotSet, IsTrue, IsFalse),
        [FactType.Stage] = Set(IsSet, IsNotSet, Eq, Ne, In, NotIn, AtOrAfter, Before),
        [FactType.RoleSet] = Set(IsSet, IsNotSet, ContainsAny, ContainsAll, ContainsNone),
    }.ToFrozenDictionary();

    /// <summary>Operators that take no operand.</summary>
    public static readonly FrozenSet<string> Unary = Set(IsSet, IsNotSet, IsTrue, IsFalse);

    /// <summary>Operators whose operand is the <c>values</c> list.</summary>
    public static readonly FrozenSet<string> ListOperand = Set(In, NotIn, ContainsAny, ContainsAll, ContainsNone);

    public static bool IsKnown(string op) => ByType.Values.Any(set => set.Contains(op));

    private static FrozenSet<string> Set(params string[] operators) => operators.ToFrozenSet(StringComparer.Ordinal);
}
