using PipelineCoach.Cadence.Schedules;

namespace PipelineCoach.Cadence.Cadences;

/// <summary>
/// One upcoming slot: <see cref="LocalStart"/> is wall-clock time (printed without an offset), <see cref="UtcStart"/>
/// UTC (printed with Z); <see cref="Dst"/> is null, "shifted" or "ambiguous".
/// </summary>
public sealed record PreviewOccurrence(DateTime LocalStart, DateTime UtcStart, string TimeZone, string? Dst)
{
    public static PreviewOccurrence From(ScheduledSlot slot) => new(
        DateTime.SpecifyKind(slot.LocalStart, DateTimeKind.Unspecified),
        slot.UtcStart.UtcDateTime,
        slot.TimeZone,
        DstText(slot.Dst));

    /// <summary>How a DST mark is written in the API and the ledger: null, "shifted" or "ambiguous".</summary>
    public static string? DstText(DstMark? mark) => mark switch
    {
        DstMark.Shifted => "shifted",
        DstMark.Ambiguous => "ambiguous",
        _ => null,
    };
}
