namespace PipelineCoach.Cadence.Schedules;

/// <summary>How a daylight-saving transition touched a slot (the preview's <c>dst</c>: null, "shifted" or "ambiguous").</summary>
public enum DstMark
{
    /// <summary>The scheduled local time did not exist (clocks went forward): the slot fires at the first valid instant after the gap.</summary>
    Shifted,

    /// <summary>The scheduled local time occurred twice (clocks went back): the slot fires once, at its first instant.</summary>
    Ambiguous,
}
