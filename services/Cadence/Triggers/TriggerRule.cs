using PipelineCoach.Cadence.Cadences;

namespace PipelineCoach.Cadence.Triggers;

/// <summary>
/// Whether an event-driven cadence fires for an opportunity move, pure. <c>opportunity-created</c> fires on creation
/// (in one of <c>stages</c> when any are listed); <c>stage-entered</c> fires on entering a listed stage, and being created
/// in one counts as entering it. Both need <c>minAmount</c> when set; a team target limits the rule to deals owned by
/// the manager's direct reports.
/// </summary>
public static class TriggerRule
{
    /// <summary>The ledger slot key of the occurrence the move creates, or null when the cadence does not fire.</summary>
    public static string? SlotKey(TriggerSpec trigger, TargetSpec? target, OpportunityMove move)
    {
        var stages = trigger.Stages ?? [];
        var inListedStage = move.Stage is not null && stages.Contains(move.Stage, StringComparer.OrdinalIgnoreCase);
        var fires = trigger.On switch
        {
            TriggerSpec.OpportunityCreated => move.Created && (stages.Count == 0 || inListedStage),
            TriggerSpec.StageEntered => (move.Created || move.EnteredStage) && inListedStage,
            _ => false,
        };
        if (!fires
            || (trigger.MinAmount is { } minimum && (move.Amount ?? 0m) < minimum)
            || (target is { Type: TargetSpec.Team } team && team.ManagerId != move.OwnerManagerId))
        {
            return null;
        }

        return trigger.On == TriggerSpec.OpportunityCreated
            ? $"{move.OpportunityId}:created"
            : $"{move.OpportunityId}:stage:{move.Stage}";
    }
}
