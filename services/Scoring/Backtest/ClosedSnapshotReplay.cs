using PipelineCoach.Contracts.Sync;
using PipelineCoach.Scoring.Engine;

namespace PipelineCoach.Scoring.Backtest;

/// <summary>
/// Rebuilds how a closed deal stood on its last open day when the mirror only holds its closed snapshot: the stage
/// is the last open stage it entered (from its history), it is neither closed nor won, and it is scored as of the day
/// before its close. Everything else (qualification fields, contact roles, pushes, next step) is what the closed
/// snapshot kept, which Salesforce leaves as it was on close.
/// </summary>
public static class ClosedSnapshotReplay
{
    public static (OpportunityChanged Open, DateOnly AsOf) Rebuild(OpportunityChanged closed, bool won, DateOnly? closeDate, IReadOnlyList<StageDefinition> stages)
    {
        ArgumentNullException.ThrowIfNull(closed);
        ArgumentNullException.ThrowIfNull(stages);
        var opportunity = closed.Opportunity;
        var history = closed.History;
        var stage = LastOpenStage(history, stages, won);
        var close = closeDate ?? opportunity.CloseDate ?? DateOnly.FromDateTime(closed.SourceVersion.UtcDateTime);
        var asOf = close.AddDays(-1);
        if (opportunity.CreatedDate is { } created && asOf < DateOnly.FromDateTime(created.UtcDateTime))
        {
            asOf = DateOnly.FromDateTime(created.UtcDateTime);
        }

        DateTimeOffset? enteredAt = null;
        if (stage is not null && history?.StageEnteredAt.TryGetValue(stage, out var entered) == true)
        {
            enteredAt = entered;
        }

        var open = closed with
        {
            Opportunity = opportunity with
            {
                StageName = stage ?? opportunity.StageName,
                IsClosed = false,
                IsWon = false,
                ForecastCategoryName = null,
                Probability = null,
            },
            History = history is null ? null : history with { CurrentStageEnteredAt = enteredAt ?? history.CurrentStageEnteredAt },
        };
        return (open, asOf);
    }

    /// <summary>
    /// The open stage of the scorecard's ladder the deal entered last; without history, a won deal is taken to have
    /// reached the last stage and a lost one the first.
    /// </summary>
    public static string? LastOpenStage(OpportunityHistorySummary? history, IReadOnlyList<StageDefinition> stages, bool won) =>
        EnteredLastOpenStage(history, stages) ?? (stages.Count == 0 ? null : won ? stages[^1].Name : stages[0].Name);

    /// <summary>The open stage of the scorecard's ladder the deal's history shows it entered last; null without one.</summary>
    public static string? EnteredLastOpenStage(OpportunityHistorySummary? history, IReadOnlyList<StageDefinition> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        string? last = null;
        var lastAt = DateTimeOffset.MinValue;
        var lastRank = -1;
        if (history is not null)
        {
            for (var rank = 0; rank < stages.Count; rank++)
            {
                if (history.StageEnteredAt.TryGetValue(stages[rank].Name, out var at) && (at > lastAt || (at == lastAt && rank > lastRank)))
                {
                    (last, lastAt, lastRank) = (stages[rank].Name, at, rank);
                }
            }
        }

        return last;
    }
}
