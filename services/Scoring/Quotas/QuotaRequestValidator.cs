using FluentValidation;

namespace PipelineCoach.Scoring.Quotas;

internal sealed class QuotaRequestValidator : AbstractValidator<QuotaRequest>
{
    public QuotaRequestValidator() => RuleFor(r => r.Amount).NotNull().GreaterThanOrEqualTo(0).OverridePropertyName("amount");
}
