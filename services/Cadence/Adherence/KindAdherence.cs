namespace PipelineCoach.Cadence.Adherence;

/// <summary>Adherence of one cadence kind: held ÷ due (0..1, 4 places), null when nothing came due.</summary>
public sealed record KindAdherence(string Kind, int Due, int Held, int Skipped, int Missed, double? Adherence);
