using FluentValidation;
using PipelineCoach.Notifications.Preferences;
using PipelineCoach.Notifications.Routing;

namespace PipelineCoach.Notifications.Subscriptions;

internal sealed class SubscriptionRequestValidator : AbstractValidator<SubscriptionRequest>
{
    public SubscriptionRequestValidator()
    {
        RuleFor(r => r.SubscriberId).Must(UserIds.IsValid).OverridePropertyName("subscriberId").WithMessage(UserIds.Requirement);
        RuleFor(r => r.Signal).Must(Signals.IsKnown).OverridePropertyName("signal").WithMessage(SignalRequirement);
        RuleFor(r => r.Scope!.ManagerId).Must(UserIds.IsValid).When(r => r.Scope?.ManagerId is not null).OverridePropertyName("scope.managerId")
            .WithMessage($"{UserIds.Requirement} Leave it out for the whole org.");
    }

    public static string SignalRequirement { get; } = $"Use one of: {string.Join(", ", Signals.All)}.";
}
