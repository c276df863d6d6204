using PipelineCoach.Notifications.Routing;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using PipelineCoach.ServiceDefaults.Http;

namespace PipelineCoach.Notifications.Preferences;

/// <summary><c>GET</c> and <c>PUT /api/v1/recipients/{userId}/preferences</c>. Bodies are read bounded (<see cref="JsonRequestBody"/>).</summary>
internal static class PreferencesApi
{
    public static IEndpointRouteBuilder MapPreferencesApi(this IEndpointRouteBuilder app)
    {
        var preferences = app.MapGroup("/api/v1/recipients/{userId}/preferences").WithTags("Preferences");
        preferences.MapGet("", GetAsync).RequireAuthorization(NotificationsScopes.Read)
            .Produces<PreferencesView>().ProducesValidationProblem();
        preferences.MapPut("", PutAsync).RequireAuthorization(NotificationsScopes.Write)
            .Accepts<PreferencesRequest>("application/json").Produces<PreferencesView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    private static async Task<Results<Ok<PreferencesView>, ProblemHttpResult>> GetAsync(string userId, PreferenceStore store, CancellationToken cancellationToken)
    {
        if (!SalesforceIds.IsValid(userId))
        {
            return JsonRequestBody.Invalid("userId", SalesforceIds.UserRequirement);
        }

        return TypedResults.Ok(PreferencesView.From(await store.GetAsync(userId, cancellationToken) ?? RecipientPreferences.Default));
    }

    private static async Task<Results<Ok<PreferencesView>, ProblemHttpResult>> PutAsync(string userId, HttpRequest request,
        IValidator<PreferencesRequest> validator, PreferenceStore store, CancellationToken cancellationToken)
    {
        if (!SalesforceIds.IsValid(userId))
        {
            return JsonRequestBody.Invalid("userId", SalesforceIds.UserRequirement);
        }

        var (body, refusal) = await JsonRequestBody.ReadAsync<PreferencesRequest>(request, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var validation = await validator.ValidateAsync(body!, cancellationToken);
        if (!validation.IsValid)
        {
            return JsonRequestBody.Invalid(validation.Errors);
        }

        await store.PutAsync(userId, body!.ToPreferences(), cancellationToken);
        return TypedResults.Ok(PreferencesView.From((await store.GetAsync(userId, cancellationToken))!));
    }
}
