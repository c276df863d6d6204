using PipelineCoach.Contracts.Scoring;

namespace PipelineCoach.ServiceDefaults.Tests;

internal static class Scored
{
    public const string TypeName = "PipelineCoach.Contracts.Scoring.OpportunityScored, PipelineCoach.Contracts.Scoring";

    private static readonly DateTimeOffset Version = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    public static OpportunityScored Message(string? opportunityId = null) => new()
    {
        OpportunityId = opportunityId ?? PipelineCoach.Testing.TestIds.New("006"),
        SourceVersion = Version,
        OccurredAt = Version,
        ScorecardId = "proactive-qualification",
        ScorecardVersion = 1,
        Score = 50,
        Grade = "C",
        Flags = [],
    };
}
