namespace PipelineCoach.Cadence.Adherence;

/// <summary>
/// A manager's adherence over a period: of the occurrences that came due (excluding slots the service never fired,
/// skipped for misfire), how many were held, skipped or missed; adherence is held ÷ due, null when nothing came due.
/// </summary>
public sealed record AdherenceView(string ManagerId, int Due, int Held, int Skipped, int Missed, double? Adherence,
    IReadOnlyList<KindAdherence> ByKind)
{
    /// <summary>held ÷ due rounded to 4 places; null when due is 0.</summary>
    public static double? Ratio(int held, int due) => due == 0 ? null : Math.Round((double)held / due, 4, MidpointRounding.AwayFromZero);
}
