namespace PipelineCoach.Scoring.Scorecards;

internal sealed record ScorecardSummaryView(string Id, string Name, int LatestVersion, int? ActiveVersion, int Versions);
