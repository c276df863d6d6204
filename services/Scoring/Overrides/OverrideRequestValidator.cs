using FluentValidation;

namespace PipelineCoach.Scoring.Overrides;

internal sealed class OverrideRequestValidator : AbstractValidator<OverrideRequest>
{
    public OverrideRequestValidator()
    {
        RuleFor(r => r.Score).NotNull().InclusiveBetween(0, 100).OverridePropertyName("score");
        RuleFor(r => r.Reason).NotEmpty().WithMessage("A reason is required: it is the override's only explanation.")
            .MaximumLength(1000).OverridePropertyName("reason");
    }
}
