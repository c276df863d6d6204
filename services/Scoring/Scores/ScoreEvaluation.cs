using PipelineCoach.Scoring.Engine;

namespace PipelineCoach.Scoring.Scores;

/// <summary>
/// Turns an engine result into a stored outcome and decides whether anything others see changed. Pure: the hot path
/// (unchanged scores) allocates only the flag list and status string; evidence and reasons are built only on change.
/// </summary>
internal static class ScoreEvaluation
{
    public const char NotMet = CriterionStatusCode.NotMet;

    public static ScoreOutcome Outcome(ScoreResult result, StoredScore? previous, CompiledScorecard? previousScorecard, string cause)
    {
        var flags = RaisedFlags(result);
        var statuses = Statuses(result);
        var changed = previous is null
            || (previous.OverrideScore ?? result.Score) != previous.EffectiveScore
            || (previous.OverrideGrade ?? result.Grade) != previous.EffectiveGrade
            || !SameFlags(flags, previous.Flags)
            || !SameMissing(statuses, previous.Statuses);

        string? breakdown = null;
        IReadOnlyList<string> reasons = [];
        IReadOnlyList<string> missingNow = [];
        IReadOnlyDictionary<string, string> flagReasons = NoFlagReasons;
        if (changed)
        {
            missingNow = MissingPrompts(result);
            flagReasons = FlagReasons(result);
            breakdown = ScoreBreakdown.Write(result);
            // A first score (every score of a new scorecard's activation) needs no comparison, so no snapshot either.
            var diff = previous is null
                ? ScoreDiff.FirstScoreReasons(result)
                : ScoreDiff.Compare(ThinSnapshot(previous, previousScorecard), result.ToSnapshot()).Reasons;
            reasons = previous?.OverrideScore is { } held
                ? [$"Score held at the manager override {held} (grade {previous.OverrideGrade}); computed {result.Score} (grade {result.Grade}).", .. diff]
                : diff;
        }

        return new ScoreOutcome
        {
            OpportunityId = result.OpportunityId,
            ScorecardId = result.ScorecardId,
            ScorecardVersion = result.ScorecardVersion,
            OwnerId = result.OwnerId,
            SourceVersion = result.SourceVersion,
            AsOf = result.AsOf,
            Score = result.Score,
            Grade = result.Grade,
            Flags = flags,
            Statuses = statuses,
            Changed = changed,
            Previous = previous,
            Breakdown = breakdown,
            Reasons = reasons,
            Readiness = result.Readiness,
            MissingNow = missingNow,
            FlagReasons = flagReasons,
            Cause = cause,
        };
    }

    private static readonly IReadOnlyDictionary<string, string> NoFlagReasons = new Dictionary<string, string>();

    private static Dictionary<string, string> FlagReasons(ScoreResult result)
    {
        var reasons = new Dictionary<string, string>(result.RaisedFlagCount, StringComparer.Ordinal);
        for (var i = 0; i < result.FlagCount; i++)
        {
            if (result.FlagSlots[i].Raised)
            {
                reasons[result.Scorecard.Flags[i].Id] = result.FlagAt(i).Reason;
            }
        }

        return reasons;
    }

    /// <summary>
    /// Whether the same criteria are missing (expected and not met): readiness and what is missing now are news too,
    /// even when score, grade and flags stay (a stage that expects a new criterion, one met and another lost).
    /// </summary>
    private static bool SameMissing(string current, string previous)
    {
        // Statuses of another scorecard version cannot be compared position by position; score, grade and flags decide.
        if (current.Length != previous.Length)
        {
            return true;
        }

        for (var i = 0; i < current.Length; i++)
        {
            if ((current[i] == NotMet) != (previous[i] == NotMet))
            {
                return false;
            }
        }

        return true;
    }

    private static string[] MissingPrompts(ScoreResult result)
    {
        if (result.OverdueCount == 0)
        {
            return [];
        }

        var prompts = new string[result.OverdueCount];
        var n = 0;
        for (var i = 0; i < result.CriterionCount; i++)
        {
            if (result.CriterionSlots[i].Status == CriterionStatus.NotMet)
            {
                prompts[n++] = result.Scorecard.Criteria[i].Prompt;
            }
        }

        return prompts;
    }

    public static string[] RaisedFlags(ScoreResult result)
    {
        if (result.RaisedFlagCount == 0)
        {
            return [];
        }

        var flags = new string[result.RaisedFlagCount];
        var n = 0;
        for (var i = 0; i < result.FlagCount; i++)
        {
            if (result.FlagSlots[i].Raised)
            {
                flags[n++] = result.Scorecard.Flags[i].Id;
            }
        }

        return flags;
    }

    public static string Statuses(ScoreResult result) =>
        string.Create(result.CriterionCount, result, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = ToCode(r.CriterionSlots[i].Status);
            }
        });

    public static char ToCode(CriterionStatus status) => CriterionStatusCode.Of(status);

    public static CriterionStatus FromCode(char code) => CriterionStatusCode.Status(code);

    private static bool SameFlags(string[] current, string[] previous)
    {
        if (current.Length != previous.Length)
        {
            return false;
        }

        foreach (var flag in current)
        {
            if (Array.IndexOf(previous, flag) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The previous score rebuilt from its compact form: enough for <see cref="ScoreDiff"/> (statuses, raised flags,
    /// score and grade; evidence of the new score is what the reasons quote).
    /// </summary>
    public static ScoreSnapshot ThinSnapshot(StoredScore stored, CompiledScorecard? scorecard)
    {
        var none = new EvidenceSnapshot("", "", "");
        var criteria = scorecard is null || scorecard.Criteria.Count != stored.Statuses.Length
            ? []
            : scorecard.Criteria.Select((criterion, i) => new CriterionOutcome(criterion.Id, criterion.Name, criterion.Weight,
                FromCode(stored.Statuses[i]), FromCode(stored.Statuses[i]) == CriterionStatus.Met ? criterion.Weight : 0,
                criterion.ExpectedFromStage, none)).ToList();
        var flags = (scorecard?.Flags.Select(flag => flag.Id) ?? []).Union(stored.Flags)
            .Select(id => new FlagOutcome(id, id, stored.Flags.Contains(id), "", none)).ToList();
        return new ScoreSnapshot
        {
            OpportunityId = stored.OpportunityId,
            OwnerId = stored.OwnerId,
            SourceVersion = new DateTimeOffset(DateTime.SpecifyKind(stored.SourceVersion, DateTimeKind.Utc)),
            AsOf = stored.AsOf,
            ScorecardId = stored.ScorecardId,
            ScorecardVersion = stored.ScorecardVersion,
            Score = stored.Score,
            Grade = stored.Grade,
            Criteria = criteria,
            Flags = flags,
        };
    }
}
