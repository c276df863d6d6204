using FluentValidation;
using PipelineCoach.Cadence.Schedules;

namespace PipelineCoach.Cadence.Cadences;

/// <summary>
/// A cadence as posted, before the template's defaults: every field given must be valid, and a custom cadence must
/// bring what no template supplies. <see cref="ResolvedCadenceValidator"/> checks what only the resolved cadence shows.
/// Errors are keyed by the field's JSON path (<c>schedule.cron</c>).
/// </summary>
internal sealed class CadenceRequestValidator : AbstractValidator<CadenceDefinition>
{
    public const int MaxNameLength = 200;
    public const int MaxIdLength = 64;
    public const int MaxExclusions = 1000;
    public const int MaxStages = 50;

    public CadenceRequestValidator(CadenceTemplates templates)
    {
        RuleFor(d => d.Kind).NotEmpty().OverridePropertyName("kind")
            .Must(kind => kind == CadenceKinds.Custom || templates.Find(kind) is not null)
            .WithMessage($"Use a template's kind ({string.Join(", ", templates.All.Select(t => t.Kind))}) or '{CadenceKinds.Custom}'.");

        RuleFor(d => d.Name).MaximumLength(MaxNameLength).OverridePropertyName("name");
        RuleFor(d => d.Name).NotEmpty().When(d => d.Kind == CadenceKinds.Custom).OverridePropertyName("name")
            .WithMessage("A custom cadence needs a name.");

        RuleFor(d => d.Schedule).Null().When(d => d.Trigger is not null).OverridePropertyName("schedule")
            .WithMessage("Give a schedule (recurring) or a trigger (event-driven), not both.");
        RuleFor(d => d.Schedule).NotNull().When(d => d.Kind == CadenceKinds.Custom && d.Trigger is null).OverridePropertyName("schedule")
            .WithMessage("A custom cadence needs a schedule (recurring) or a trigger (event-driven).");

        When(d => d.Schedule is not null, () =>
        {
            RuleFor(d => d.Schedule!.Cron).Must(cron => BeValidCron(cron!)).When(d => d.Schedule!.Cron is not null).OverridePropertyName("schedule.cron")
                .WithMessage(d => $"Not a valid 5-field cron expression: {CronError(d.Schedule!.Cron!)}");
            RuleFor(d => d.Schedule!.TimeZone).Must(zone => BeKnownZone(zone!)).When(d => d.Schedule!.TimeZone is not null).OverridePropertyName("schedule.timeZone")
                .WithMessage(d => $"'{d.Schedule!.TimeZone}' is not a known IANA time zone (or \"{ScheduleSpec.AssigneeTimeZone}\").");
        });

        When(d => d.Trigger is not null, () =>
        {
            RuleFor(d => d.Trigger!.On).Must(on => on is TriggerSpec.OpportunityCreated or TriggerSpec.StageEntered)
                .When(d => d.Trigger!.On is not null || d.Kind == CadenceKinds.Custom).OverridePropertyName("trigger.on")
                .WithMessage($"Use '{TriggerSpec.OpportunityCreated}' or '{TriggerSpec.StageEntered}'.");
            RuleFor(d => d.Trigger!.Stages).Must(stages => stages!.Count <= MaxStages && stages.All(s => !string.IsNullOrWhiteSpace(s)))
                .When(d => d.Trigger!.Stages is not null).OverridePropertyName("trigger.stages")
                .WithMessage($"Stages are non-blank names, at most {MaxStages}.");
            RuleFor(d => d.Trigger!.MinAmount).GreaterThanOrEqualTo(0).OverridePropertyName("trigger.minAmount");
            RuleFor(d => d.Trigger!.DueWithinBusinessDays).InclusiveBetween(1, 60).OverridePropertyName("trigger.dueWithinBusinessDays");
        });

        When(d => d.Target is not null, () =>
        {
            RuleFor(d => d.Target!.Type).Must(type => type is TargetSpec.Team or TargetSpec.User).OverridePropertyName("target.type")
                .WithMessage($"Use '{TargetSpec.Team}' (with managerId) or '{TargetSpec.User}' (with userId).");
            RuleFor(d => d.Target!.ManagerId).NotEmpty().MaximumLength(MaxIdLength).When(d => d.Target!.Type == TargetSpec.Team)
                .OverridePropertyName("target.managerId").WithMessage("A team target needs the manager's user id (at most 64 characters).");
            RuleFor(d => d.Target!.UserId).NotEmpty().MaximumLength(MaxIdLength).When(d => d.Target!.Type == TargetSpec.User)
                .OverridePropertyName("target.userId").WithMessage("A user target needs the user's id (at most 64 characters).");
        });

        RuleFor(d => d.DurationMinutes).InclusiveBetween(1, 1440).OverridePropertyName("durationMinutes");
        RuleFor(d => d.CompletionWindowMinutes).InclusiveBetween(1, 366 * 1440).OverridePropertyName("completionWindowMinutes");

        When(d => d.Misfire is not null, () =>
        {
            RuleFor(d => d.Misfire!.Policy).Must(policy => policy is MisfireSpec.Skip or MisfireSpec.FireOnce)
                .When(d => d.Misfire!.Policy is not null).OverridePropertyName("misfire.policy")
                .WithMessage($"Use '{MisfireSpec.Skip}' or '{MisfireSpec.FireOnce}'.");
            RuleFor(d => d.Misfire!.GraceMinutes).InclusiveBetween(0, 366 * 1440).OverridePropertyName("misfire.graceMinutes");
        });

        RuleFor(d => d.EndsOn).GreaterThanOrEqualTo(d => d.StartsOn).When(d => d.StartsOn is not null && d.EndsOn is not null)
            .OverridePropertyName("endsOn").WithMessage("endsOn must not be before startsOn.");
        RuleFor(d => d.Exclusions).Must(exclusions => exclusions!.Count <= MaxExclusions).When(d => d.Exclusions is not null)
            .OverridePropertyName("exclusions").WithMessage($"At most {MaxExclusions} exclusions.");
    }

    private static bool BeValidCron(string cron) => CronError(cron) is null;

    private static string? CronError(string cron)
    {
        RecurringSchedule.TryCreate(cron, "UTC", null, null, [], out var cronError, out _);
        return cronError;
    }

    internal static bool BeKnownZone(string zone)
    {
        if (zone == ScheduleSpec.AssigneeTimeZone)
        {
            return true;
        }

        RecurringSchedule.TryCreate("* * * * *", zone, null, null, [], out _, out var zoneError);
        return zoneError is null;
    }
}
