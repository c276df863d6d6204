namespace PipelineCoach.Scoring.Engine;

/// <summary>
/// The plain words a rep or manager reads for a criterion or flag. Built from labels and values only, never API names;
/// the evidence (field, value, rule) stays beside it for admins. Shared by live scores and stored breakdowns so both
/// read the same.
/// </summary>
public static class Explanations
{
    public static string Criterion(CompiledCriterion criterion, CriterionStatus status, string label, string value) => status switch
    {
        CriterionStatus.Met => $"{criterion.Name}: in place ({Reading(label, value)}).",
        CriterionStatus.NotMet => criterion.Prompt,
        _ => criterion.ExpectedFromStage is { } stage
            ? $"{criterion.Name}: not expected until {stage}."
            : $"{criterion.Name}: not expected yet.",
    };

    public static string FlagNotRaised(CompiledFlag flag, string label, string value, bool dealIsClosed = false) =>
        dealIsClosed ? $"{flag.Name}: not checked on a closed deal." : $"{flag.Name}: not raised ({Reading(label, value)}).";

    /// <summary>A raised flag's rendered reason, led by the flag's name: "Slipping: close date pushed out 3 times…".</summary>
    public static string FlagRaised(CompiledFlag flag, string renderedReason) => $"{flag.Name}: {renderedReason}";

    private static string Reading(string label, string value) => label.Length == 0 ? value : $"{label}: {value}";
}
