using System.Text.Json.Serialization;

namespace PipelineCoach.Scoring.Engine;

/// <summary>
/// An immutable, serialisable score: what the service stores in score history, returns from the API and diffs
/// against the next score.
/// </summary>
public sealed record ScoreSnapshot
{
    public required string OpportunityId { get; init; }

    public string? OwnerId { get; init; }

    /// <summary>The opportunity version (<c>SystemModstamp</c>) the score was computed from.</summary>
    public required DateTimeOffset SourceVersion { get; init; }

    public required DateOnly AsOf { get; init; }

    public required string ScorecardId { get; init; }

    public required int ScorecardVersion { get; init; }

    public required int Score { get; init; }

    public required string Grade { get; init; }

    public double? WinProbability { get; init; }

    public required IReadOnlyList<CriterionOutcome> Criteria { get; init; }

    /// <summary><c>on-track</c> when every criterion the deal's stage expects is met, else <c>behind</c>.</summary>
    public string Readiness => Criteria.Any(criterion => criterion.Status == CriterionStatus.NotMet) ? Engine.Readiness.Behind : Engine.Readiness.OnTrack;

    /// <summary>The criteria the stage expects that are not met, each with its coaching prompt.</summary>
    public IReadOnlyList<MissingCriterion> MissingNow { get; init; } = [];

    /// <summary>Every flag of the scorecard, raised or not.</summary>
    public required IReadOnlyList<FlagOutcome> Flags { get; init; }

    /// <summary>The codes of the raised flags, in scorecard order.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> RaisedFlags => [.. Flags.Where(flag => flag.Raised).Select(flag => flag.Id)];

    public static ScoreSnapshot From(ScoreResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var criteria = new List<CriterionOutcome>(result.CriterionCount);
        foreach (var criterion in result.Criteria)
        {
            criteria.Add(new CriterionOutcome(criterion.Criterion.Id, criterion.Criterion.Name, criterion.Criterion.Weight,
                criterion.Status, criterion.Points, criterion.Criterion.ExpectedFromStage, Snapshot(criterion.Evidence), criterion.Reason));
        }

        var flags = new List<FlagOutcome>(result.FlagCount);
        foreach (var flag in result.Flags)
        {
            flags.Add(new FlagOutcome(flag.Flag.Id, flag.Flag.Name, flag.Raised, flag.Reason, Snapshot(flag.Evidence)));
        }

        return new ScoreSnapshot
        {
            OpportunityId = result.OpportunityId,
            OwnerId = result.OwnerId,
            SourceVersion = result.SourceVersion,
            AsOf = result.AsOf,
            ScorecardId = result.ScorecardId,
            ScorecardVersion = result.ScorecardVersion,
            Score = result.Score,
            Grade = result.Grade,
            WinProbability = result.WinProbability,
            Criteria = criteria,
            MissingNow = MissingCriterion.Of(result.Scorecard, criteria),
            Flags = flags,
        };
    }

    private static EvidenceSnapshot Snapshot(Evidence evidence) =>
        new(evidence.Field ?? "", evidence.Value.ToString(), evidence.Rule ?? "");
}
