using System.Globalization;
using PipelineCoach.SalesforceSimulator.Generation;

namespace PipelineCoach.SalesforceSimulator.Org;

public enum FieldType : byte
{
    Id,
    Reference,
    String,
    Picklist,
    TextArea,
    Boolean,
    Integer,
    Double,
    Currency,
    Percent,
    Date,
    DateTime,
}

public enum FieldKind : byte
{
    Null,
    String,
    Boolean,
    Integer,
    Double,
    Date,
    DateTime,
    Id,
}

/// <summary>
/// A field value without boxing: dates are <see cref="DateOnly.DayNumber"/>, date-times Unix milliseconds,
/// ids a key prefix plus row number (formatted only when written).
/// </summary>
public readonly record struct FieldValue(FieldKind Kind, long Int, double Number, string? Text)
{
    public static readonly FieldValue Null = default;

    public bool IsNull => Kind == FieldKind.Null;

    public static FieldValue Of(string? text) => text is null ? Null : new(FieldKind.String, 0, 0, text);

    public static FieldValue Of(bool value) => new(FieldKind.Boolean, value ? 1 : 0, 0, null);

    public static FieldValue OfInt(long value) => new(FieldKind.Integer, value, 0, null);

    public static FieldValue OfDouble(double value) =>
        double.IsNaN(value) ? Null : new(FieldKind.Double, 0, value, null);

    public static FieldValue OfDate(int dayNumber) => dayNumber <= 0 ? Null : new(FieldKind.Date, dayNumber, 0, null);

    public static FieldValue OfDate(DateOnly date) => new(FieldKind.Date, date.DayNumber, 0, null);

    public static FieldValue OfDateTime(long unixMs) => new(FieldKind.DateTime, unixMs, 0, null);

    public static FieldValue OfDateTime(DateTimeOffset value) => OfDateTime(value.ToUnixTimeMilliseconds());

    public static FieldValue OfId(string prefix, long number) =>
        number < 0 ? Null : new(FieldKind.Id, number, 0, prefix);

    public bool AsBoolean => Kind == FieldKind.Boolean && Int != 0;

    public DateOnly AsDate => DateOnly.FromDayNumber((int)Int);

    public DateTimeOffset AsDateTime => DateTimeOffset.FromUnixTimeMilliseconds(Int);

    public double AsDouble => Kind == FieldKind.Integer ? Int : Number;

    /// <summary>The value as Salesforce prints it in SOAP and CSV (date-times end in <c>Z</c>).</summary>
    public string? ToInvariantString() => Kind switch
    {
        FieldKind.Null => null,
        FieldKind.String => Text,
        FieldKind.Boolean => Int != 0 ? "true" : "false",
        FieldKind.Integer => Int.ToString(CultureInfo.InvariantCulture),
        FieldKind.Double => Number.ToString("R", CultureInfo.InvariantCulture),
        FieldKind.Date => AsDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        FieldKind.DateTime => SalesforceFormats.DateTimeZ(Int),
        FieldKind.Id => SalesforceIds.Create(Text!, Int),
        _ => null,
    };

    /// <summary>Orders two values of the same field; nulls sort first as in SOQL's default.</summary>
    public static int Compare(in FieldValue a, in FieldValue b)
    {
        if (a.IsNull || b.IsNull)
        {
            return a.IsNull.CompareTo(b.IsNull) * -1;
        }

        return a.Kind switch
        {
            FieldKind.String => string.Compare(a.Text, b.Text, StringComparison.OrdinalIgnoreCase),
            FieldKind.Double => a.Number.CompareTo(b.AsDouble),
            FieldKind.Integer when b.Kind == FieldKind.Double => ((double)a.Int).CompareTo(b.Number),
            FieldKind.Id => a.Text == b.Text ? a.Int.CompareTo(b.Int) : string.CompareOrdinal(a.Text, b.Text),
            _ => a.Int.CompareTo(b.Int),
        };
    }
}

/// <summary>One field of an sObject as described to clients.</summary>
public sealed record FieldDef(
    string Name,
    FieldType Type,
    bool Updateable = false,
    string? ReferenceTo = null,
    bool InChangeEvents = true,
    bool CreateOnly = false)
{
    public int Index { get; internal set; }

    /// <summary>Settable on create (updateable fields, and create-only ones such as a contact role's opportunity).</summary>
    public bool Createable => Updateable || CreateOnly;
}

public static class SalesforceFormats
{
    /// <summary>REST JSON date-time: <c>2024-01-01T00:00:00.000+0000</c>.</summary>
    public static string DateTimeRest(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    /// <summary>SOAP, Bulk CSV and change-event date-time: <c>2024-01-01T00:00:00.000Z</c>.</summary>
    public static string DateTimeZ(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static bool TryParseDateTime(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(
            text.Replace("+0000", "Z", StringComparison.Ordinal),
            CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal,
            out value);
}
