using FluentValidation;

namespace PipelineCoach.Cadence.Occurrences;

internal sealed class CompleteRequestValidator : AbstractValidator<CompleteRequest>
{
    public const int MaxNotesLength = 10_000;

    public CompleteRequestValidator() => RuleFor(r => r.Notes).MaximumLength(MaxNotesLength).OverridePropertyName("notes");
}
