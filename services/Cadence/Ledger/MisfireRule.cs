using PipelineCoach.Cadence.Cadences;

namespace PipelineCoach.Cadence.Ledger;

/// <summary>
/// What to do with a claimed slot, pure. A slot seen within <c>graceMinutes</c> of its start fires. A later one is a
/// misfire (the service was down or behind): under <c>skip</c> it is recorded skipped; under <c>fire-once</c> only the
/// cadence's most recent slot that is already due fires, late, and earlier ones are recorded skipped.
/// </summary>
public static class MisfireRule
{
    public const string Reason = "misfire";

    /// <summary>True when the slot fires; false when it is recorded skipped (misfire).</summary>
    /// <param name="latestDueSlot">The latest slot of the same cadence whose start is not after <paramref name="now"/>.</param>
    /// <param name="dueBy">The end of the slot's completion window: a slot seen after it would be missed at once, so it never fires.</param>
    public static bool Fires(MisfireSpec misfire, DateTimeOffset scheduledAt, DateTimeOffset dueBy, DateTimeOffset latestDueSlot, DateTimeOffset now)
    {
        if (now >= dueBy)
        {
            return false;
        }

        var late = now - scheduledAt > TimeSpan.FromMinutes(misfire.GraceMinutes ?? 0);
        if (!late)
        {
            return true;
        }

        return misfire.Policy == MisfireSpec.FireOnce && scheduledAt >= latestDueSlot;
    }
}
