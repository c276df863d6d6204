using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using PipelineCoach.Notifications.Preferences;
using PipelineCoach.Notifications.Routing;
using PipelineCoach.ServiceDefaults.Http;

namespace PipelineCoach.Notifications.Subscriptions;

/// <summary><c>/api/v1/subscriptions</c>: create, list, read and delete. Bodies are read bounded (<see cref="JsonRequestBody"/>).</summary>
internal static class SubscriptionsApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var subscriptions = app.MapGroup("/api/v1/subscriptions").WithTags("Subscriptions");
        subscriptions.MapPost("", CreateAsync).RequireAuthorization(NotificationsScopes.Write)
            .Accepts<SubscriptionRequest>("application/json").Produces<SubscriptionView>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        subscriptions.MapGet("", ListAsync).RequireAuthorization(NotificationsScopes.Read).Produces<Page<SubscriptionView>>().ProducesValidationProblem();
        subscriptions.MapGet("/{id}", GetAsync).RequireAuthorization(NotificationsScopes.Read).Produces<SubscriptionView>().Produces(StatusCodes.Status404NotFound);
        subscriptions.MapPut("/{id}", ReplaceAsync).RequireAuthorization(NotificationsScopes.Write)
            .Accepts<SubscriptionRequest>("application/json").Produces<SubscriptionView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        subscriptions.MapDelete("/{id}", DeleteAsync).RequireAuthorization(NotificationsScopes.Write)
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<SubscriptionView>, ProblemHttpResult>> CreateAsync(HttpRequest request,
        IValidator<SubscriptionRequest> validator, SubscriptionStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, refusal) = await JsonRequestBody.ReadAsync<SubscriptionRequest>(request, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var validation = await validator.ValidateAsync(body!, cancellationToken);
        if (!validation.IsValid)
        {
            return JsonRequestBody.Invalid(validation.Errors);
        }

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var managerId = body!.Scope?.ManagerId;
        if (!await store.InsertAsync(id, body.SubscriberId!, body.Signal!, managerId, now, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already subscribed",
                detail: $"{body.SubscriberId} already subscribes to {body.Signal} for {(managerId is null ? "the whole org" : $"the team of {managerId}")}.");
        }

        return TypedResults.Created($"/api/v1/subscriptions/{id}", (await store.GetAsync(id, cancellationToken))!.ToView());
    }

    private static async Task<Results<Ok<Page<SubscriptionView>>, ProblemHttpResult>> ListAsync(string? subscriberId, string? signal, string? cursor, string? limit,
        SubscriptionStore store, CancellationToken cancellationToken)
    {
        if (subscriberId is not null && !SalesforceIds.IsValid(subscriberId))
        {
            return JsonRequestBody.Invalid("subscriberId", SalesforceIds.UserRequirement);
        }

        if (signal is not null && !Signals.IsKnown(signal))
        {
            return JsonRequestBody.Invalid("signal", SubscriptionRequestValidator.SignalRequirement);
        }

        Guid? after = null;
        if (cursor is not null)
        {
            if (!Guid.TryParseExact(cursor, "N", out var parsed))
            {
                return JsonRequestBody.Invalid("cursor", "Not a cursor returned by this API.");
            }

            after = parsed;
        }

        var take = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxLimit))
        {
            return JsonRequestBody.Invalid("limit", $"Use a whole number from 1 to {MaxLimit}.");
        }

        var rows = await store.ListAsync(subscriberId, signal, after, take + 1, cancellationToken);
        var items = rows.Take(take).Select(row => row.ToView()).ToList();
        return TypedResults.Ok(new Page<SubscriptionView>(items, rows.Count > take ? items[^1].Id.ToString("N") : null));
    }

    private static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> GetAsync(string id, SubscriptionStore store, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var guid) && await store.GetAsync(guid, cancellationToken) is { } row ? TypedResults.Ok(row.ToView()) : NotFound(id);

    /// <summary>Changes who, which signal or which scope; the id and creation time stay.</summary>
    private static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> ReplaceAsync(string id, HttpRequest request,
        IValidator<SubscriptionRequest> validator, SubscriptionStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid) || await store.GetAsync(guid, cancellationToken) is null)
        {
            return NotFound(id);
        }

        var (body, refusal) = await JsonRequestBody.ReadAsync<SubscriptionRequest>(request, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var validation = await validator.ValidateAsync(body!, cancellationToken);
        if (!validation.IsValid)
        {
            return JsonRequestBody.Invalid(validation.Errors);
        }

        var managerId = body!.Scope?.ManagerId;
        return await store.UpdateAsync(guid, body.SubscriberId!, body.Signal!, managerId, cancellationToken) switch
        {
            true => TypedResults.Ok((await store.GetAsync(guid, cancellationToken))!.ToView()),
            false => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already subscribed",
                detail: $"{body.SubscriberId} already subscribes to {body.Signal} for {(managerId is null ? "the whole org" : $"the team of {managerId}")}."),
            null => NotFound(id),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, SubscriptionStore store, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var guid) && await store.DeleteAsync(guid, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Subscription not found", detail: $"No subscription {id}.");
}
