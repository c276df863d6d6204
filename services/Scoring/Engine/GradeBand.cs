using System.Text.Json;
using System.Text.Json.Serialization;

namespace PipelineCoach.Scoring.Engine;

public sealed record GradeBand
{
    /// <summary>Label such as <c>A</c>.</summary>
    public string Grade { get; init; } = "";

    /// <summary>Lowest score in the band, inclusive.</summary>
    public int Min { get; init; }

    /// <summary>Highest score in the band, inclusive.</summary>
    public int Max { get; init; }

    /// <summary>The calibrated chance (0–1) that a deal in this band is won; the backtest measures it.</summary>
    public double? WinProbability { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}
