namespace PipelineCoach.Scoring.Engine;

/// <summary>The one-character codes a stored score keeps per criterion (<c>scores.statuses</c>, one per criterion in order).</summary>
public static class CriterionStatusCode
{
    public const char Met = 'M';
    public const char NotMet = 'N';
    public const char NotYetExpected = 'Y';

    public static char Of(CriterionStatus status) => status switch
    {
        CriterionStatus.Met => Met,
        CriterionStatus.NotMet => NotMet,
        _ => NotYetExpected,
    };

    public static CriterionStatus Status(char code) => code switch
    {
        Met => CriterionStatus.Met,
        NotMet => CriterionStatus.NotMet,
        _ => CriterionStatus.NotYetExpected,
    };
}
