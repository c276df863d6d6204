using System.Collections.Frozen;

namespace PipelineCoach.Scoring.PipelineHealth;

/// <summary>
/// The org's normal stage durations that scoring uses: stage name → median days over the org's closed deals, only for
/// the stages <see cref="StageDurations"/> gives from org history (at least
/// <see cref="PipelineHealthOptions.MinStageDurationSamples"/> samples). The scorecard catalog compiles every scorecard
/// with these in place of its stages' <c>normalDays</c>; a stage not here keeps the scorecard's figure.
/// <see cref="PipelineHealthMonitor"/> refreshes them at start and every <see cref="PipelineHealthOptions.EvaluationInterval"/>.
/// </summary>
internal sealed class StageNorms
{
    private readonly Lock _gate = new();
    private volatile StageNormFigures _current = StageNormFigures.None;

    /// <summary>The figures now; compare <see cref="StageNormFigures.Generation"/> to tell whether they changed.</summary>
    public StageNormFigures Current => _current;

    /// <summary>
    /// Takes the org-history figures of <paramref name="durations"/>. Returns whether any figure changed; only then does
    /// the generation move on (so compiled scorecards are rebuilt only when a figure really moved).
    /// </summary>
    public bool Update(IEnumerable<StageDuration> durations)
    {
        var days = durations
            .Where(duration => duration.Source == StageDurations.OrgHistory)
            .ToFrozenDictionary(duration => duration.Stage, duration => duration.NormalDays!.Value, StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            var current = _current;
            if (current.DaysByStage.Count == days.Count
                && days.All(entry => current.DaysByStage.TryGetValue(entry.Key, out var before) && before == entry.Value))
            {
                return false;
            }

            _current = new StageNormFigures(current.Generation + 1, days);
            return true;
        }
    }
}
