using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using PipelineCoach.Scoring.Engine;

namespace PipelineCoach.Scoring.Scorecards;

/// <summary>Reads and writes scorecards as the JSON the API accepts and stores (camelCase, nulls omitted).</summary>
public static class ScorecardJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static string Serialize(Scorecard scorecard) => JsonSerializer.Serialize(scorecard, Options);

    /// <summary>
    /// Parses a scorecard. Malformed JSON or a value of the wrong JSON type becomes a
    /// <see cref="ValidationException"/> naming the path, like every other scorecard error.
    /// Unknown properties are kept for <see cref="ScorecardValidator"/> to report.
    /// </summary>
    public static Scorecard Deserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Scorecard>(json, Options)
                ?? throw Invalid("", "A scorecard JSON object is required.");
        }
        catch (JsonException exception)
        {
            throw Invalid(ToPropertyPath(exception.Path), $"Invalid JSON: {FirstSentence(exception.Message)}");
        }
    }

    /// <summary>Parses and validates; the result is ready for compilation.</summary>
    public static Scorecard DeserializeValid(string json)
    {
        var scorecard = Deserialize(json);
        new ScorecardValidator().ValidateAndThrow(scorecard);
        return scorecard;
    }

    private static ValidationException Invalid(string path, string message) =>
        new([new ValidationFailure(path, message)]);

    // "$.criteria[0].weight" -> "criteria[0].weight", matching the validator's property paths.
    private static string ToPropertyPath(string? jsonPath) =>
        jsonPath is null ? "" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
