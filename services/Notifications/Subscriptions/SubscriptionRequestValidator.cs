using FluentValidation;
using PipelineCoach.Notifications.Preferences;
using PipelineCoach.Notifications.Routing;

namespace PipelineCoach.Notifications.Subscriptions;

internal sealed class SubscriptionRequestValidator : AbstractValidator<SubscriptionRequest>
{
    public SubscriptionRequestValidator()
    {
        RuleFor(r => r.SubscriberId).Must(SalesforceIds.IsValid).OverridePropertyName("subscriberId").WithMessage(SalesforceIds.UserRequirement);
        RuleFor(r => r.Signal).Must(Signals.IsKnown).OverridePropertyName("signal").WithMessage(SignalRequirement);
        RuleFor(r => r.Scope!.ManagerId).Must(SalesforceIds.IsValid).When(r => r.Scope?.ManagerId is not null).OverridePropertyName("scope.managerId")
            .WithMessage($"{SalesforceIds.UserRequirement} Leave it out for the whole org.");
    }

    public static string SignalRequirement { get; } = $"Use one of: {string.Join(", ", Signals.All)}.";
}
