using System.Text.Json;

namespace PipelineCoach.Scoring.Scores;

/// <summary>
/// Reads a <c>score_history.detail</c> that holds a full <see cref="Engine.ScoreSnapshot"/> (web defaults: camelCase)
/// rather than the compact form that <see cref="Engine.ScoreBreakdown"/> reads.
/// </summary>
internal static class FullBreakdownJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
