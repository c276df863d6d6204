namespace PipelineCoach.Notifications.Preferences;

/// <summary>
/// A recipient's quiet hours as local wall-clock times. The span may wrap midnight (20:00–07:00); the start is
/// inside it, the end is not, and a span that starts where it ends is empty.
/// </summary>
public sealed record QuietHours(TimeOnly Start, TimeOnly End)
{
    public bool Contains(TimeOnly local) => Start <= End
        ? local >= Start && local < End
        : local >= Start || local < End;
}
