using Microsoft.Extensions.Options;

namespace PipelineCoach.Cadence.Cadences;

/// <summary>
/// The six templates of DOMAIN.md. Event-driven reviews take their stages from the configured ladder: the
/// pre-presentation review fires on entering the stage before the proposal stage, negotiation preparation on entering
/// the stage before negotiation.
/// </summary>
public sealed class CadenceTemplates
{
    private readonly Dictionary<string, CadenceTemplate> _byKind;

    public CadenceTemplates(IOptions<CadenceOptions> options)
    {
        var ladder = options.Value;
        All =
        [
            new(CadenceKinds.DailyHuddle, "Daily huddle",
                new ScheduleSpec("0 9 * * 1-5", ScheduleSpec.AssigneeTimeZone), null, 15, new MisfireSpec(MisfireSpec.Skip, 30),
                "Fifteen minutes each weekday morning: the risks raised since the last huddle and the next steps due today."),
            new(CadenceKinds.WeeklyPipelineReview, "Weekly pipeline review",
                new ScheduleSpec("0 9 * * 1", ScheduleSpec.AssigneeTimeZone), null, 45, new MisfireSpec(MisfireSpec.FireOnce, 240),
                "Monday's look at the whole pipeline: early-stage deals first, slipped and stalled deals, premature presentations, coverage and inflow against target."),
            new(CadenceKinds.OpportunityStrategyReview, "Opportunity strategy review",
                null, new TriggerSpec(TriggerSpec.StageEntered, [.. ladder.StageLadder.Take(2)], 50_000m, 3), 60, new MisfireSpec(MisfireSpec.FireOnce, 0),
                "A large deal just created or entering an early stage: agree the qualification plan while it is cheap to change."),
            new(CadenceKinds.PrePresentationReview, "Pre-presentation review",
                null, new TriggerSpec(TriggerSpec.StageEntered, [ladder.StageBefore(ladder.ProposalStage)], null, 2), 30, new MisfireSpec(MisfireSpec.FireOnce, 0),
                "Before the proposal goes out: is the deal qualified enough to present, or would presenting now be premature?"),
            new(CadenceKinds.NegotiationPreparation, "Negotiation preparation",
                null, new TriggerSpec(TriggerSpec.StageEntered, [ladder.StageBefore(ladder.NegotiationStage)], 100_000m, 3), 45, new MisfireSpec(MisfireSpec.FireOnce, 0),
                "Before a large deal goes into negotiation: the amount, the discount asked for, the concessions to plan and the walk-away point."),
            new(CadenceKinds.TargetAccountPlanning, "Target account planning",
                new ScheduleSpec("0 10 1-7 * 1", ScheduleSpec.AssigneeTimeZone), null, 60, new MisfireSpec(MisfireSpec.FireOnce, 1440),
                "The first Monday of each month: how well each rep covers their Magnificent 50 target accounts."),
        ];
        _byKind = All.ToDictionary(t => t.Kind);
    }

    public IReadOnlyList<CadenceTemplate> All { get; }

    public CadenceTemplate? Find(string? kind) => kind is not null && _byKind.TryGetValue(kind, out var template) ? template : null;

    /// <summary>
    /// The definition with the template's defaults filled in where the caller gave none, and the completion window
    /// defaulted to the duration plus 24 h. Call only on a valid definition.
    /// </summary>
    public CadenceDefinition ApplyDefaults(CadenceDefinition definition)
    {
        var template = Find(definition.Kind);
        var useTrigger = definition.Trigger is not null || (definition.Schedule is null && template?.Trigger is not null);
        var schedule = useTrigger ? null : Merge(definition.Schedule, template?.Schedule);
        var trigger = useTrigger ? Merge(definition.Trigger, template?.Trigger) : null;
        var duration = definition.DurationMinutes ?? template?.DurationMinutes ?? 30;
        var misfire = definition.Misfire ?? template?.Misfire ?? new MisfireSpec(MisfireSpec.Skip, 30);
        return definition with
        {
            Name = string.IsNullOrWhiteSpace(definition.Name) ? template?.Name ?? definition.Kind : definition.Name.Trim(),
            Schedule = schedule,
            Trigger = trigger,
            DurationMinutes = duration,
            CompletionWindowMinutes = definition.CompletionWindowMinutes ?? duration + 24 * 60,
            Misfire = new MisfireSpec(misfire.Policy ?? MisfireSpec.Skip, misfire.GraceMinutes ?? 30),
            Exclusions = [.. (definition.Exclusions ?? []).Distinct().Order()],
        };
    }

    private static ScheduleSpec? Merge(ScheduleSpec? given, ScheduleSpec? defaults) =>
        given is null ? defaults : new ScheduleSpec(given.Cron ?? defaults?.Cron, given.TimeZone ?? defaults?.TimeZone ?? ScheduleSpec.AssigneeTimeZone);

    private static TriggerSpec? Merge(TriggerSpec? given, TriggerSpec? defaults) =>
        given is null ? defaults : new TriggerSpec(
            given.On ?? defaults?.On,
            given.Stages ?? defaults?.Stages ?? [],
            given.MinAmount ?? defaults?.MinAmount,
            given.DueWithinBusinessDays ?? defaults?.DueWithinBusinessDays ?? 3);
}
