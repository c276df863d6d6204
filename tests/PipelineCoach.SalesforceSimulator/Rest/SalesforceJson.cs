using System.Text.Encodings.Web;
using System.Text.Json;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.SalesforceSimulator.Org;

namespace PipelineCoach.SalesforceSimulator.Rest;

/// <summary>Salesforce's JSON shapes: records with <c>attributes</c>, error arrays, value formats.</summary>
internal static class SalesforceJson
{
    public const string ApiVersion = "v62.0";
    public const string DataPath = "/services/data/" + ApiVersion;

    /// <summary>Relaxed escaping keeps <c>+0000</c> and <c>&amp;</c> readable, as Salesforce prints them.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteRecord(Utf8JsonWriter writer, SObjectTable table, int row, IReadOnlyList<FieldDef> fields)
    {
        Span<char> id = stackalloc char[18];
        SalesforceIds.Write(table.KeyPrefix, row, id);
        writer.WriteStartObject();
        writer.WriteStartObject("attributes");
        writer.WriteString("type", table.Name);
        writer.WriteString("url", $"{DataPath}/sobjects/{table.Name}/{id}");
        writer.WriteEndObject();
        foreach (var field in fields)
        {
            writer.WritePropertyName(field.Name);
            WriteValue(writer, table.Get(row, field));
        }

        writer.WriteEndObject();
    }

    /// <summary>REST value formats: dates <c>yyyy-MM-dd</c>, date-times <c>…T…\.fff+0000</c>.</summary>
    public static void WriteValue(Utf8JsonWriter writer, in FieldValue value, bool zuluDateTimes = false)
    {
        switch (value.Kind)
        {
            case FieldKind.Null:
                writer.WriteNullValue();
                break;
            case FieldKind.Boolean:
                writer.WriteBooleanValue(value.Int != 0);
                break;
            case FieldKind.Integer:
                writer.WriteNumberValue(value.Int);
                break;
            case FieldKind.Double:
                writer.WriteNumberValue(value.Number);
                break;
            case FieldKind.DateTime:
                writer.WriteStringValue(zuluDateTimes ? SalesforceFormats.DateTimeZ(value.Int) : SalesforceFormats.DateTimeRest(value.Int));
                break;
            case FieldKind.Id:
                Span<char> id = stackalloc char[18];
                SalesforceIds.Write(value.Text!, value.Int, id);
                writer.WriteStringValue(id);
                break;
            default:
                writer.WriteStringValue(value.ToInvariantString());
                break;
        }
    }

    /// <summary>Non-collection error body: <c>[{"message":"…","errorCode":"…"}]</c> (+ <c>fields</c>).</summary>
    public static async Task WriteErrorAsync(HttpContext context, int status, string errorCode, string message, IReadOnlyList<string>? fields = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=UTF-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body, WriterOptions);
        writer.WriteStartArray();
        writer.WriteStartObject();
        writer.WriteString("message", message);
        writer.WriteString("errorCode", errorCode);
        if (fields is { Count: > 0 })
        {
            writer.WriteStartArray("fields");
            foreach (var f in fields)
            {
                writer.WriteStringValue(f);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        await writer.FlushAsync(context.RequestAborted);
    }

    public static int StatusFor(string errorCode) => errorCode switch
    {
        "NOT_FOUND" or "ENTITY_IS_DELETED" => StatusCodes.Status404NotFound,
        "INVALID_SESSION_ID" => StatusCodes.Status401Unauthorized,
        "REQUEST_LIMIT_EXCEEDED" or "INSUFFICIENT_ACCESS_OR_READONLY" => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status400BadRequest,
    };
}
