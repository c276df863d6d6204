using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.ServiceDefaults.Http;

namespace PipelineCoach.Cadence.Calendar;

/// <summary>The org's holiday calendar, which business-day due dates skip.</summary>
internal static class HolidaysApi
{
    public static IEndpointRouteBuilder MapHolidaysApi(this IEndpointRouteBuilder app)
    {
        var holidays = app.MapGroup("/api/v1/calendar/holidays").WithTags("Calendar");
        holidays.MapGet("", GetAsync).RequireAuthorization(CadenceScopes.Read);
        holidays.MapPut("", PutAsync).RequireAuthorization(CadenceScopes.Write)
            .Accepts<HolidayCalendar>("application/json").Produces<HolidayCalendar>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    private static async Task<Ok<HolidayCalendar>> GetAsync(HolidayStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new HolidayCalendar(await store.AllAsync(cancellationToken)));

    private static async Task<Results<Ok<HolidayCalendar>, ProblemHttpResult>> PutAsync(HttpRequest request, IValidator<HolidayCalendar> validator,
        HolidayStore store, CancellationToken cancellationToken)
    {
        var (calendar, refusal) = await JsonRequestBody.ReadAsync<HolidayCalendar>(request, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var result = await validator.ValidateAsync(calendar!, cancellationToken);
        if (!result.IsValid)
        {
            return JsonRequestBody.Invalid(result.Errors);
        }

        IReadOnlyList<DateOnly> days = [.. calendar!.Holidays!.Distinct().Order()];
        await store.ReplaceAsync(days, cancellationToken);
        return TypedResults.Ok(new HolidayCalendar(days));
    }
}
