namespace PipelineCoach.Scoring.Scorecards;

internal sealed record ScorecardSummaryRow(string Id, string Name, int LatestVersion, int? ActiveVersion, int Versions);
