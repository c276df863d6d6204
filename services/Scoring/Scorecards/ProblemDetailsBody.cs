namespace PipelineCoach.Scoring.Scorecards;

/// <summary>A problem details body for typed results that carry one (e.g. 409).</summary>
internal sealed record ProblemDetailsBody(string Title, string Detail, int Status);
