using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PipelineCoach.ServiceDefaults.Http;

/// <summary>
/// Reads an endpoint's JSON body itself, bounded: a body over the limit is a 413 problem, malformed JSON or a value
/// of the wrong type a 400 problem naming its path, like every validation error. Minimal APIs bind a body before
/// endpoint filters run and TestServer enforces no request size, so endpoints that take JSON call this with their
/// <see cref="HttpRequest"/> instead of binding the body (declare it with <c>.Accepts&lt;T&gt;</c> for Swagger).
/// </summary>
public static class JsonRequestBody
{
    /// <summary>The default limit of a JSON request body: 64 KiB.</summary>
    public const int DefaultLimit = 64 * 1024;

    /// <summary>
    /// The body as <typeparamref name="T"/>, or the problem to answer instead. An empty body is refused unless
    /// <paramref name="allowEmpty"/>, when both come back null.
    /// </summary>
    /// <param name="options">Serializer options; the app's Minimal API JSON options by default.</param>
    public static async Task<(T? Value, ProblemHttpResult? Refusal)> ReadAsync<T>(
        HttpRequest request, CancellationToken cancellationToken, JsonSerializerOptions? options = null, int limit = DefaultLimit, bool allowEmpty = false)
        where T : class
    {
        using var body = await LimitedRequestBody.ReadAsync(request, limit, cancellationToken);
        if (body is null)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
                detail: $"Request bodies are limited to {limit} bytes."));
        }

        if (body.Length == 0 || body.Memory.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return allowEmpty ? (null, null) : (null, Invalid("body", "A JSON body is required."));
        }

        options ??= request.HttpContext.RequestServices.GetService<IOptions<JsonOptions>>()?.Value.SerializerOptions ?? JsonSerializerOptions.Web;
        try
        {
            return JsonSerializer.Deserialize<T>(body.Memory.Span, options) is { } value
                ? (value, null)
                : (null, Invalid("body", "A JSON object is required."));
        }
        catch (JsonException exception)
        {
            return (null, Invalid(ToPropertyPath(exception.Path), $"Invalid JSON: {FirstSentence(exception.Message)}"));
        }
    }

    /// <summary>A 400 validation problem (RFC 9457, with <c>errors</c>) naming each failed field.</summary>
    public static ProblemHttpResult Invalid(IEnumerable<FluentValidation.Results.ValidationFailure> failures) => TypedResults.Problem(
        new HttpValidationProblemDetails(failures.GroupBy(f => f.PropertyName).ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
        });

    /// <summary>A 400 validation problem (RFC 9457, with <c>errors</c>) naming one field.</summary>
    public static ProblemHttpResult Invalid(string field, string error) => TypedResults.Problem(
        new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [error] }) { Status = StatusCodes.Status400BadRequest });

    // "$.schedule.cron" -> "schedule.cron"; the root ("$" or unknown) is the body itself.
    private static string ToPropertyPath(string? jsonPath) =>
        jsonPath is null or "$" or "" ? "body" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
