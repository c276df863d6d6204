using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PipelineCoach.ServiceDefaults.Http;
using PipelineCoach.ServiceDefaults.Webhooks;

namespace PipelineCoach.Notifications.Channels.Webhooks;

/// <summary>
/// Signed-webhook endpoints for internal tools: CRUD, secret rotation, enable and disable. A secret is shown once,
/// when it is made. Bodies are read bounded (<see cref="JsonRequestBody"/>); nothing is stored on a refusal.
/// </summary>
internal static class WebhookEndpointsApi
{
    /// <summary>The reason an endpoint disabled through the API shows.</summary>
    public const string DisabledThroughApi = "disabled through the API";

    public static IEndpointRouteBuilder MapWebhookEndpointsApi(this IEndpointRouteBuilder app)
    {
        var endpoints = app.MapGroup("/api/v1/webhook-endpoints").WithTags("Webhook endpoints");
        endpoints.MapPost("", CreateAsync).RequireAuthorization(NotificationsScopes.Write)
            .Accepts<WebhookEndpointRequest>("application/json").Produces<CreatedWebhookEndpoint>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        endpoints.MapGet("", ListAsync).RequireAuthorization(NotificationsScopes.Read).ProducesValidationProblem();
        endpoints.MapGet("/{id}", GetAsync).RequireAuthorization(NotificationsScopes.Read).ProducesProblem(StatusCodes.Status404NotFound);
        endpoints.MapPut("/{id}", UpdateAsync).RequireAuthorization(NotificationsScopes.Write)
            .Accepts<WebhookEndpointRequest>("application/json").Produces<WebhookEndpointView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        endpoints.MapDelete("/{id}", DeleteAsync).RequireAuthorization(NotificationsScopes.Write).ProducesProblem(StatusCodes.Status404NotFound);
        endpoints.MapPost("/{id}/rotate-secret", RotateSecretAsync).RequireAuthorization(NotificationsScopes.Write).ProducesProblem(StatusCodes.Status404NotFound);
        endpoints.MapPost("/{id}/enable", EnableAsync).RequireAuthorization(NotificationsScopes.Write).ProducesProblem(StatusCodes.Status404NotFound);
        endpoints.MapPost("/{id}/disable", DisableAsync).RequireAuthorization(NotificationsScopes.Write).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<CreatedWebhookEndpoint>, ProblemHttpResult>> CreateAsync(HttpRequest request,
        IValidator<WebhookEndpointRequest> validator, WebhookEndpointStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, refusal) = await ReadAsync(request, validator, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var secret = StandardWebhooks.NewSecret();
        await store.InsertAsync(id, body!.Url!, body.Signals!, body.Description, secret, now, cancellationToken);
        var view = (await store.GetAsync(id, cancellationToken))!.ToView();
        return TypedResults.Created($"/api/v1/webhook-endpoints/{id}", new CreatedWebhookEndpoint(view, secret));
    }

    private static Task<Results<Ok<Page<WebhookEndpointView>>, ProblemHttpResult>> ListAsync(string? cursor, string? limit,
        WebhookEndpointStore store, CancellationToken cancellationToken) =>
        IdPages.ListAsync(cursor, limit, (after, take) => store.ListAsync(after, take, cancellationToken), row => row.ToView(), view => view.Id);

    private static async Task<Results<Ok<WebhookEndpointView>, NotFound>> GetAsync(string id, WebhookEndpointStore store, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var guid) && await store.GetAsync(guid, cancellationToken) is { } row ? TypedResults.Ok(row.ToView()) : TypedResults.NotFound();

    private static async Task<Results<Ok<WebhookEndpointView>, NotFound, ProblemHttpResult>> UpdateAsync(string id, HttpRequest request,
        IValidator<WebhookEndpointRequest> validator, WebhookEndpointStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return TypedResults.NotFound();
        }

        var (body, refusal) = await ReadAsync(request, validator, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        return await store.UpdateAsync(guid, body!.Url!, body.Signals!, body.Description, clock.GetUtcNow(), cancellationToken)
            ? TypedResults.Ok((await store.GetAsync(guid, cancellationToken))!.ToView())
            : TypedResults.NotFound();
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(string id, WebhookEndpointStore store, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var guid) && await store.DeleteAsync(guid, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<Ok<RotatedWebhookSecret>, NotFound>> RotateSecretAsync(string id, WebhookEndpointStore store,
        IOptions<WebhookChannelOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var secret = StandardWebhooks.NewSecret();
        var previousExpiresAt = now + options.Value.RotationOverlap;
        return Guid.TryParse(id, out var guid) && await store.RotateSecretAsync(guid, secret, previousExpiresAt, now, cancellationToken)
            ? TypedResults.Ok(new RotatedWebhookSecret(secret, previousExpiresAt))
            : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<WebhookEndpointView>, NotFound>> EnableAsync(string id, WebhookEndpointStore store, TimeProvider clock,
        CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var guid) && await store.EnableAsync(guid, clock.GetUtcNow(), cancellationToken)
            ? TypedResults.Ok((await store.GetAsync(guid, cancellationToken))!.ToView())
            : TypedResults.NotFound();

    private static async Task<Results<Ok<WebhookEndpointView>, NotFound>> DisableAsync(string id, WebhookEndpointStore store, TimeProvider clock,
        CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var guid) && await store.DisableAsync(guid, DisabledThroughApi, clock.GetUtcNow(), cancellationToken)
            ? TypedResults.Ok((await store.GetAsync(guid, cancellationToken))!.ToView())
            : TypedResults.NotFound();

    private static async Task<(WebhookEndpointRequest? Body, ProblemHttpResult? Refusal)> ReadAsync(HttpRequest request,
        IValidator<WebhookEndpointRequest> validator, CancellationToken cancellationToken)
    {
        var (body, refusal) = await JsonRequestBody.ReadAsync<WebhookEndpointRequest>(request, cancellationToken);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        var result = await validator.ValidateAsync(body!, cancellationToken);
        return result.IsValid ? (body, null) : (null, JsonRequestBody.Invalid(result.Errors));
    }
}
