namespace PipelineCoach.Scoring.Engine;

/// <summary>A criterion the deal's stage expects and that is not met, with the one-line coaching prompt for it.</summary>
public sealed record MissingCriterion(string Criterion, string Prompt)
{
    public static IReadOnlyList<MissingCriterion> Of(CompiledScorecard scorecard, IReadOnlyList<CriterionOutcome> criteria)
    {
        List<MissingCriterion>? missing = null;
        foreach (var criterion in criteria)
        {
            if (criterion.Status == CriterionStatus.NotMet)
            {
                var compiled = scorecard.Criteria.FirstOrDefault(candidate => candidate.Id == criterion.Id);
                (missing ??= []).Add(new MissingCriterion(criterion.Id, compiled?.Prompt ?? criterion.Reason));
            }
        }

        return missing ?? (IReadOnlyList<MissingCriterion>)[];
    }

    /// <summary>From stored status codes (<see cref="CriterionStatusCode"/>), one per criterion in scorecard order.</summary>
    public static IReadOnlyList<MissingCriterion> Of(CompiledScorecard scorecard, string statuses)
    {
        List<MissingCriterion>? missing = null;
        for (var i = 0; i < statuses.Length && i < scorecard.Criteria.Count; i++)
        {
            if (statuses[i] == CriterionStatusCode.NotMet)
            {
                (missing ??= []).Add(new MissingCriterion(scorecard.Criteria[i].Id, scorecard.Criteria[i].Prompt));
            }
        }

        return missing ?? (IReadOnlyList<MissingCriterion>)[];
    }
}
