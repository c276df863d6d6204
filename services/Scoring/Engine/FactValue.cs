using System.Globalization;
using PipelineCoach.Contracts.Sync;

namespace PipelineCoach.Scoring.Engine;

/// <summary>
/// One pre-parsed fact value. A small struct so the engine reads and copies facts without allocating:
/// numbers, dates (as day numbers), booleans and stage positions live in <see cref="Number"/>; text and the
/// contact-role list are references to strings/lists that already exist.
/// </summary>
public readonly struct FactValue : IEquatable<FactValue>
{
    private FactValue(FactKind kind, double number, ulong roleMask, object? reference)
    {
        Kind = kind;
        Number = number;
        RoleMask = roleMask;
        Reference = reference;
    }

    public FactKind Kind { get; }

    /// <summary>The number; for dates the day number; for booleans 1/0; for stages the ladder position (-1 unknown).</summary>
    public double Number { get; }

    /// <summary>For contact roles: one bit per role name the compiled scorecard refers to.</summary>
    public ulong RoleMask { get; }

    /// <summary>The text, the stage name, the unparseable raw value, or the contact role list.</summary>
    public object? Reference { get; }

    public bool IsPresent => Kind is not (FactKind.Missing or FactKind.Unparseable);

    public string? Text => Reference as string;

    public DateOnly Date => DateOnly.FromDayNumber((int)Number);

    public bool Boolean => Number != 0;

    public static FactValue Missing => default;

    public static FactValue FromNumber(double value) => new(FactKind.Number, value, 0, null);

    public static FactValue FromAmount(decimal? value) => value is { } number ? FromNumber((double)number) : Missing;

    public static FactValue FromText(string? value) =>
        string.IsNullOrWhiteSpace(value) ? Missing : new(FactKind.Text, 0, 0, value);

    public static FactValue FromDate(DateOnly? value) => value is { } date ? new(FactKind.Date, date.DayNumber, 0, null) : Missing;

    public static FactValue FromBoolean(bool? value) => value is { } flag ? new(FactKind.Boolean, flag ? 1 : 0, 0, null) : Missing;

    public static FactValue FromStage(string? name, int ladderIndex) =>
        string.IsNullOrWhiteSpace(name) ? Missing : new(FactKind.Stage, ladderIndex, 0, name);

    public static FactValue FromRoles(IReadOnlyList<ContactRoleSnapshot> roles, ulong mask) => new(FactKind.Roles, roles.Count, mask, roles);

    public static FactValue FromUnparseable(string raw) => new(FactKind.Unparseable, 0, 0, raw);

    /// <summary>How a missing value reads.</summary>
    public const string NotRecorded = "not recorded";

    /// <summary>The value as a person reads it in evidence and reasons.</summary>
    public override string ToString() => Kind switch
    {
        FactKind.Missing => NotRecorded,
        FactKind.Number => Number.ToString("0.##", CultureInfo.InvariantCulture),
        FactKind.Text or FactKind.Stage => (string)Reference!,
        FactKind.Date => Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        FactKind.Boolean => Boolean ? "yes" : "no",
        FactKind.Roles => DescribeRoles((IReadOnlyList<ContactRoleSnapshot>)Reference!),
        FactKind.Unparseable => $"unreadable '{Reference}'",
        _ => Kind.ToString(),
    };

    public bool Equals(FactValue other) =>
        Kind == other.Kind && Number.Equals(other.Number) && RoleMask == other.RoleMask && Equals(Reference, other.Reference);

    public override bool Equals(object? obj) => obj is FactValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, Number, RoleMask, Reference);

    public static bool operator ==(FactValue left, FactValue right) => left.Equals(right);

    public static bool operator !=(FactValue left, FactValue right) => !left.Equals(right);

    private static string DescribeRoles(IReadOnlyList<ContactRoleSnapshot> roles)
    {
        if (roles.Count == 0)
        {
            return "no contact roles";
        }

        var named = roles.Select(role => role.Role).Where(role => !string.IsNullOrWhiteSpace(role))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var unnamed = roles.Count - roles.Count(role => !string.IsNullOrWhiteSpace(role.Role));
        var parts = named.Count == 0 ? "no roles named" : string.Join(", ", named);
        return $"{roles.Count} contact(s): {parts}{(unnamed > 0 ? $" (+{unnamed} without a role)" : "")}";
    }
}
