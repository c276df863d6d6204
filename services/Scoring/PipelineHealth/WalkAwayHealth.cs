namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>
/// Walk-away discipline: of the rep's losses over the look-back with a stage history, how many were closed before
/// reaching <see cref="LateStage"/> (walked away early) rather than after. <see cref="NotRecorded"/> losses have no
/// stage history and are not counted either way.
/// </summary>
internal sealed record WalkAwayHealth(int Lost, int ClosedEarly, decimal? EarlyShare, int NotRecorded, string LateStage, int LookbackDays);
