using PipelineCoach.Cadence.Agendas.Scoring;

namespace PipelineCoach.Cadence.Agendas;

/// <summary>
/// What Scoring said for one occurrence: a deal's scores (null when answered 404: not scored yet), or the pipeline
/// health of the team (<see cref="Team"/>, with each rep) or of one rep (<see cref="Reps"/> only).
/// </summary>
internal sealed record ScoringAnswer(ScoringStatus Status)
{
    public static readonly ScoringAnswer NotNeeded = new(ScoringStatus.NotNeeded);

    public static readonly ScoringAnswer Unavailable = new(ScoringStatus.Unavailable);

    public static readonly ScoringAnswer NotConfigured = new(ScoringStatus.NotConfigured);

    public ScoringOpportunityScores? Scores { get; init; }

    public ScoringHealthReport? Team { get; init; }

    public IReadOnlyList<ScoringHealthReport> Reps { get; init; } = [];

    public bool Answered => Status == ScoringStatus.Answered;
}
