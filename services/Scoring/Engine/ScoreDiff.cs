namespace PipelineCoach.Scoring.Engine;

public static class ScoreDiff
{
    /// <summary>The reasons of an opportunity's first score, straight from the engine's result (what <see cref="Compare"/> gives with no previous score).</summary>
    public static IReadOnlyList<string> FirstScoreReasons(ScoreResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var reasons = new List<string>(1 + result.RaisedFlagCount)
        {
            FirstScore(result.Score, result.Grade, result.ScorecardId, result.ScorecardVersion),
        };
        for (var i = 0; i < result.FlagCount; i++)
        {
            if (result.FlagSlots[i].Raised)
            {
                var flag = result.FlagAt(i);
                reasons.Add(flag.Reason);
            }
        }

        return reasons;
    }

    private static string FirstScore(int score, string grade, string scorecardId, int version) =>
        $"First score {score}, grade {grade} (scorecard {scorecardId} v{version}).";

    /// <summary>Compares a new score with the previous one (null for the opportunity's first score).</summary>
    public static ScoreChange Compare(ScoreSnapshot? previous, ScoreSnapshot current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var currentFlags = current.RaisedFlags;
        if (previous is null)
        {
            return new ScoreChange
            {
                IsFirstScore = true,
                ScoreChanged = true,
                GradeChanged = true,
                FlagsChanged = currentFlags.Count > 0,
                RaisedFlags = currentFlags,
                Reasons =
                [
                    FirstScore(current.Score, current.Grade, current.ScorecardId, current.ScorecardVersion),
                    .. current.Flags.Where(flag => flag.Raised).Select(flag => flag.Reason),
                ],
            };
        }

        var previousFlags = previous.RaisedFlags;
        var raised = currentFlags.Except(previousFlags, StringComparer.Ordinal).ToList();
        var cleared = previousFlags.Except(currentFlags, StringComparer.Ordinal).ToList();
        var reasons = new List<string>();

        if (previous.ScorecardId != current.ScorecardId || previous.ScorecardVersion != current.ScorecardVersion)
        {
            reasons.Add($"Now scored with scorecard {current.ScorecardId} v{current.ScorecardVersion} (was {previous.ScorecardId} v{previous.ScorecardVersion}).");
        }

        if (previous.Score != current.Score || previous.Grade != current.Grade)
        {
            reasons.Add(previous.Grade == current.Grade
                ? $"Score {previous.Score} → {current.Score} (grade {current.Grade})."
                : $"Score {previous.Score} → {current.Score}, grade {previous.Grade} → {current.Grade}.");
        }

        var previousCriteria = previous.Criteria.ToDictionary(criterion => criterion.Id, StringComparer.Ordinal);
        foreach (var criterion in current.Criteria)
        {
            previousCriteria.TryGetValue(criterion.Id, out var before);
            if (before?.Status == criterion.Status)
            {
                continue;
            }

            reasons.Add((before?.Status, criterion.Status) switch
            {
                (_, CriterionStatus.Met) => $"{criterion.Name} is now in place.",
                (CriterionStatus.Met, CriterionStatus.NotMet) => $"{criterion.Name} no longer holds. {criterion.Reason}",
                (CriterionStatus.Met, _) => $"{criterion.Name} no longer holds; not expected until {criterion.ExpectedFromStage ?? "a later stage"}.",
                (_, CriterionStatus.NotMet) => $"{criterion.Name} is now expected{StageSuffix(criterion)}. {criterion.Reason}",
                _ => criterion.ExpectedFromStage is { } stage ? $"{criterion.Name} is not expected until {stage}." : $"{criterion.Name} is not expected yet.",
            });
        }

        foreach (var id in raised)
        {
            reasons.Add(current.Flags.First(flag => flag.Id == id).Reason);
        }

        foreach (var id in cleared)
        {
            var flag = current.Flags.FirstOrDefault(candidate => candidate.Id == id);
            reasons.Add(flag is null ? "A risk flag of the previous scorecard no longer applies." : $"{flag.Name} cleared.");
        }

        return new ScoreChange
        {
            IsFirstScore = false,
            ScoreChanged = previous.Score != current.Score,
            GradeChanged = previous.Grade != current.Grade,
            FlagsChanged = raised.Count > 0 || cleared.Count > 0,
            PreviousScore = previous.Score,
            PreviousGrade = previous.Grade,
            PreviousFlags = previousFlags,
            RaisedFlags = raised,
            ClearedFlags = cleared,
            Reasons = reasons,
        };
    }

    private static string StageSuffix(CriterionOutcome criterion) =>
        criterion.ExpectedFromStage is null ? "" : $" from {criterion.ExpectedFromStage} on";
}
