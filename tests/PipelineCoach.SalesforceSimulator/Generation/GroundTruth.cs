using System.Text.Json;
using System.Text.Json.Serialization;

namespace PipelineCoach.SalesforceSimulator.Generation;

/// <summary>Problem codes used in the ground truth (one per DOMAIN.md signal the generator plants).</summary>
public static class ProblemCodes
{
    public const string Slipping = "slipping";
    public const string Stalled = "stalled";
    public const string PrematurePresentation = "premature-presentation";
    public const string MaverickDiscount = "maverick-discount";
    public const string SingleThreaded = "single-threaded";
    public const string NoNextStep = "no-next-step";
    public const string StaleActivity = "stale-activity";
    public const string TunnelVision = "tunnel-vision";
    public const string InflowDriedUp = "inflow-dried-up";
    public const string CoverageBelowTarget = "coverage-below-target";

    public static readonly IReadOnlyList<string> OpportunityProblems =
        [Slipping, Stalled, PrematurePresentation, MaverickDiscount, SingleThreaded, NoNextStep, StaleActivity];

    public static readonly IReadOnlyList<string> RepProblems = [TunnelVision, InflowDriedUp, CoverageBelowTarget];
}

/// <summary>
/// Which records and reps carry which planted problem, and which are clean controls. Only the planted team's
/// subjects are listed; background records are random and may show any signal.
/// </summary>
public sealed record GroundTruth
{
    public required string OrganizationId { get; init; }

    public required int Seed { get; init; }

    public required DateOnly AsOf { get; init; }

    /// <summary>Calendar quarter containing <see cref="AsOf"/>, e.g. <c>2026-Q4</c>.</summary>
    public required string FiscalPeriod { get; init; }

    public required DateOnly PeriodStart { get; init; }

    public required DateOnly PeriodEnd { get; init; }

    public required IReadOnlyDictionary<string, int> StageNormDays { get; init; }

    public string? PlantedTeamManagerId { get; init; }

    public required IReadOnlyList<PlantedSubject> Opportunities { get; init; }

    public required IReadOnlyList<PlantedSubject> Reps { get; init; }

    /// <summary>Quota of every rep for <see cref="FiscalPeriod"/>; Salesforce has no quota field.</summary>
    public required IReadOnlyList<RepQuota> Quotas { get; init; }

    /// <summary>How closed background deals were won or lost: the outcome model and its parameters.</summary>
    public OutcomeModelTruth? Outcomes { get; init; }

    /// <summary>How each problem code is planted, in field values.</summary>
    public required IReadOnlyDictionary<string, string> HowPlanted { get; init; }

    public IEnumerable<PlantedSubject> WithProblem(string code) =>
        Opportunities.Concat(Reps).Where(s => s.Problems.Contains(code));

    public string ToJson() => JsonSerializer.Serialize(this, GroundTruthJson.Default.GroundTruth);

    public static GroundTruth FromJson(string json) =>
        JsonSerializer.Deserialize(json, GroundTruthJson.Default.GroundTruth) ?? throw new JsonException("Empty ground truth.");
}

public sealed record PlantedSubject
{
    /// <summary>Opportunity id (006…) or user id (005…).</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>Owner (for opportunities) or manager (for reps).</summary>
    public required string OwnerId { get; init; }

    /// <summary>Problem codes the suite must flag; empty for a clean control.</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    /// <summary>For controls: the problem codes this subject is a clean counterpart for.</summary>
    public IReadOnlyList<string> ControlFor { get; init; } = [];

    /// <summary>Id of the problem subject this control mirrors (same stage and size), if any.</summary>
    public string? PairedWith { get; init; }

    /// <summary>The planted values as Salesforce would print them.</summary>
    public required IReadOnlyDictionary<string, string?> Planted { get; init; }

    public required string How { get; init; }
}

public sealed record RepQuota(string UserId, string Period, decimal Quota, decimal OpenPipelineInPeriod);

[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(GroundTruth))]
internal sealed partial class GroundTruthJson : JsonSerializerContext;
