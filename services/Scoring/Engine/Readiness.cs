namespace PipelineCoach.Scoring.Engine;

/// <summary>Whether a deal has what its stage expects: the values of a score's <c>readiness</c>.</summary>
public static class Readiness
{
    public const string OnTrack = "on-track";
    public const string Behind = "behind";

    public static string Of(int overdueCriteria) => overdueCriteria == 0 ? OnTrack : Behind;

    /// <summary>From stored criterion status codes (<see cref="CriterionStatusCode"/>): behind when any expected criterion is not met.</summary>
    public static string Of(string statuses) => statuses.Contains(CriterionStatusCode.NotMet, StringComparison.Ordinal) ? Behind : OnTrack;
}
