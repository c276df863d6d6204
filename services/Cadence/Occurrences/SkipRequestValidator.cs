using FluentValidation;

namespace PipelineCoach.Cadence.Occurrences;

internal sealed class SkipRequestValidator : AbstractValidator<SkipRequest>
{
    public const int MaxReasonLength = 1000;

    public SkipRequestValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(MaxReasonLength).OverridePropertyName("reason")
        .WithMessage($"Say why it was skipped (at most {MaxReasonLength} characters).");
}
