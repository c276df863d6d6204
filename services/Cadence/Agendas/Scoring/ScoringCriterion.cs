namespace PipelineCoach.Cadence.Agendas.Scoring;

/// <summary>A qualification criterion's outcome; <see cref="Status"/> is <c>Met</c>, <c>NotMet</c> or <c>NotYetExpected</c>.</summary>
internal sealed record ScoringCriterion(string Id, string Name, string Status, string? ExpectedFromStage)
{
    public const string NotMet = "NotMet";
    public const string NotYetExpected = "NotYetExpected";
}
