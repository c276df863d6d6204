using FluentValidation;

namespace PipelineCoach.Cadence.Calendar;

internal sealed class HolidayCalendarValidator : AbstractValidator<HolidayCalendar>
{
    public const int MaxHolidays = 1000;

    public HolidayCalendarValidator() => RuleFor(c => c.Holidays).Cascade(CascadeMode.Stop).NotNull().Must(days => days!.Count <= MaxHolidays).OverridePropertyName("holidays")
        .WithMessage($"Give the whole calendar as a list of at most {MaxHolidays} dates (yyyy-MM-dd).");
}
