namespace PipelineCoach.SalesforceSimulator.Generation;

/// <summary>What org to generate. The same options always produce the same org.</summary>
public sealed record OrgGeneratorOptions
{
    public int Seed { get; init; } = 42;

    /// <summary>Randomly generated ("background") opportunities, from 0 to 1,000,000 and beyond.</summary>
    public int Opportunities { get; init; } = 1_000;

    /// <summary>"Today" of the generated story; defaults to the UTC date of the time provider.</summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>Adds the planted team (problems next to clean controls) and its ground truth.</summary>
    public bool PlantProblems { get; init; } = true;

    /// <summary>Background reps; by default one per ~250 opportunities (3 to 4,000).</summary>
    public int? Reps { get; init; }

    /// <summary>How closed deals' outcomes are decided: by their qualification (default) or by a coin toss (the control).</summary>
    public OutcomeModelKind Outcomes { get; init; } = OutcomeModelKind.Qualification;

    public OutcomeModelParameters OutcomeParameters { get; init; } = OutcomeModelParameters.Default;

    public string UserDomain { get; init; } = "pipelinecoach-sim.example";
}
