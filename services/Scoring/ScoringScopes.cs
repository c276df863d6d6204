namespace PipelineCoach.Scoring;

/// <summary>OAuth scopes of the Scoring API.</summary>
public static class ScoringScopes
{
    /// <summary>Read scores, scorecards, pipeline health.</summary>
    public const string Read = "scoring.read";

    /// <summary>Manager actions: score overrides, quotas, target accounts.</summary>
    public const string Write = "scoring.write";

    /// <summary>Scorecard administration: create versions, activate, deactivate.</summary>
    public const string Admin = "scoring.admin";
}
