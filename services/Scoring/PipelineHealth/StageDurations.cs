namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>
/// Normal stage durations from the org's own closed deals, pure: a deal's time in a stage runs from its first entry
/// into that stage to its next first entry into any stage (or its close date), and a stage's normal duration is the
/// median over closed deals once there are enough samples, else the scorecard's <c>normalDays</c>. A median of 0 days
/// (deals pass straight through, often stages clicked through at once) is no normal duration, so the scorecard's
/// stands there too. Scoring uses the org-history figures through <see cref="StageNorms"/>.
/// </summary>
internal static class StageDurations
{
    public const string OrgHistory = "org-history";
    public const string ScorecardDefault = "scorecard-default";

    public static IReadOnlyList<StageDuration> Compute(IReadOnlyList<ClosedDeal> closed, StageLadder ladder, int minSamples)
    {
        var samples = ladder.Stages.ToDictionary(s => s.Name, _ => new List<int>(), StringComparer.OrdinalIgnoreCase);
        foreach (var deal in closed)
        {
            var entries = deal.StageEnteredAt.OrderBy(e => e.Value).ToList();
            for (var i = 0; i < entries.Count; i++)
            {
                if (!samples.TryGetValue(entries[i].Key, out var list))
                {
                    continue;
                }

                var next = entries.Skip(i + 1).FirstOrDefault(e => e.Value > entries[i].Value);
                DateTimeOffset? end = next.Key is not null ? next.Value
                    : deal.CloseDate is { } close ? new DateTimeOffset(close.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
                if (end is { } until && until >= entries[i].Value)
                {
                    list.Add((int)Math.Round((until - entries[i].Value).TotalDays, MidpointRounding.AwayFromZero));
                }
            }
        }

        return [.. ladder.Stages.Select(stage =>
        {
            var days = samples[stage.Name];
            var median = days.Count == 0 ? (int?)null : Median(days);
            return days.Count >= minSamples && median > 0
                ? new StageDuration(stage.Name, median, OrgHistory, days.Count, median, stage.NormalDays)
                : new StageDuration(stage.Name, stage.NormalDays, ScorecardDefault, days.Count, median, stage.NormalDays);
        })];
    }

    private static int Median(List<int> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (int)Math.Round((sorted[mid - 1] + sorted[mid]) / 2.0, MidpointRounding.AwayFromZero);
    }
}
