using FluentValidation;

namespace PipelineCoach.Cadence.Cadences;

/// <summary>
/// A cadence once the template's defaults are applied: what no single posted field shows. A recurring cadence needs a
/// cron expression and a target; an event-driven one a trigger with its stages, and at most a team as its target.
/// </summary>
internal sealed class ResolvedCadenceValidator : AbstractValidator<CadenceDefinition>
{
    public ResolvedCadenceValidator()
    {
        When(d => d.Schedule is not null, () =>
        {
            RuleFor(d => d.Schedule!.Cron).NotEmpty().OverridePropertyName("schedule.cron").WithMessage("A recurring cadence needs a cron expression.");
            RuleFor(d => d.Target).NotNull().OverridePropertyName("target")
                .WithMessage("A recurring cadence needs a target: { \"type\": \"team\", \"managerId\" } or { \"type\": \"user\", \"userId\" }.");
        });

        When(d => d.Trigger is not null, () =>
        {
            RuleFor(d => d.Trigger!.On).NotEmpty().OverridePropertyName("trigger.on").WithMessage("An event-driven cadence needs trigger.on.");
            RuleFor(d => d.Trigger!.Stages).NotEmpty().When(d => d.Trigger!.On == TriggerSpec.StageEntered).OverridePropertyName("trigger.stages")
                .WithMessage("A stage-entered trigger needs the stages it fires on.");
            RuleFor(d => d.Target!.Type).Equal(TargetSpec.Team).When(d => d.Target is not null).OverridePropertyName("target.type")
                .WithMessage("An event-driven cadence applies org-wide (no target) or to a team.");
        });

        RuleFor(d => d.CompletionWindowMinutes).InclusiveBetween(1, 366 * 1440).OverridePropertyName("completionWindowMinutes");
    }
}
