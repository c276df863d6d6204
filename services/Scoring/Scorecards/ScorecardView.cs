using PipelineCoach.Scoring.Engine;

namespace PipelineCoach.Scoring.Scorecards;

internal sealed record ScorecardView(string Id, int Version, bool IsActive, int? ActiveVersion, Scorecard Definition);
