using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using PipelineCoach.ServiceDefaults.Http;

namespace PipelineCoach.Notifications.Channels.Chat;

/// <summary>
/// <c>/api/v1/chat-destinations</c>: Slack and Teams incoming-webhook URLs for a team or the org, subscribed to
/// signals. The URL is write-only: every answer shows it as <c>scheme://host/…</c>.
/// </summary>
internal static class ChatDestinationsApi
{
    private const string Route = "/api/v1/chat-destinations";

    public static IEndpointRouteBuilder MapChatDestinationsApi(this IEndpointRouteBuilder app)
    {
        var destinations = app.MapGroup(Route).WithTags("Chat destinations");
        destinations.MapPost("", CreateAsync).RequireAuthorization(NotificationsScopes.Write)
            .Accepts<ChatDestinationRequest>("application/json").Produces<ChatDestinationView>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        destinations.MapGet("", ListAsync).RequireAuthorization(NotificationsScopes.Read).ProducesValidationProblem();
        destinations.MapGet("/{id}", GetAsync).RequireAuthorization(NotificationsScopes.Read).ProducesProblem(StatusCodes.Status404NotFound);
        destinations.MapPut("/{id}", UpdateAsync).RequireAuthorization(NotificationsScopes.Write)
            .Accepts<ChatDestinationRequest>("application/json").Produces<ChatDestinationView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        destinations.MapDelete("/{id}", DeleteAsync).RequireAuthorization(NotificationsScopes.Write).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<ChatDestinationView>, ProblemHttpResult>> CreateAsync(HttpRequest request,
        IValidator<ChatDestinationRequest> validator, ChatDestinationStore store, TimeProvider clock, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var (body, refusal) = await ReadAsync(request, validator, isCreate: true, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await store.InsertAsync(id, body!, now, cancellationToken);
        var view = (await store.GetAsync(id, cancellationToken))!.ToView();
        ChatLog.DestinationSaved(Logger(loggers), id, view.Type, view.Url);
        return TypedResults.Created($"{Route}/{id}", view);
    }

    private static Task<Results<Ok<Page<ChatDestinationView>>, ProblemHttpResult>> ListAsync(string? cursor, string? limit,
        ChatDestinationStore store, CancellationToken cancellationToken) =>
        IdPages.ListAsync(cursor, limit, (after, take) => store.ListAsync(after, take, cancellationToken), row => row.ToView(), view => view.Id);

    private static async Task<Results<Ok<ChatDestinationView>, ProblemHttpResult>> GetAsync(string id, ChatDestinationStore store, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var guid) && await store.GetAsync(guid, cancellationToken) is { } row ? TypedResults.Ok(row.ToView()) : NotFound(id);

    private static async Task<Results<Ok<ChatDestinationView>, ProblemHttpResult>> UpdateAsync(string id, HttpRequest request,
        IValidator<ChatDestinationRequest> validator, ChatDestinationStore store, TimeProvider clock, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return NotFound(id);
        }

        var (body, refusal) = await ReadAsync(request, validator, isCreate: false, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!await store.UpdateAsync(guid, body!, clock.GetUtcNow(), cancellationToken))
        {
            return NotFound(id);
        }

        var view = (await store.GetAsync(guid, cancellationToken))!.ToView();
        ChatLog.DestinationSaved(Logger(loggers), guid, view.Type, view.Url);
        return TypedResults.Ok(view);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, ChatDestinationStore store, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid) || !await store.DeleteAsync(guid, cancellationToken))
        {
            return NotFound(id);
        }

        ChatLog.DestinationDeleted(Logger(loggers), guid);
        return TypedResults.NoContent();
    }

    private static async Task<(ChatDestinationRequest? Body, ProblemHttpResult? Refusal)> ReadAsync(HttpRequest request,
        IValidator<ChatDestinationRequest> validator, bool isCreate, CancellationToken cancellationToken)
    {
        var (body, refusal) = await JsonRequestBody.ReadAsync<ChatDestinationRequest>(request, cancellationToken);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        var result = await validator.ValidateAsync(body!, options =>
        {
            options.IncludeRulesNotInRuleSet();
            if (isCreate)
            {
                options.IncludeRuleSets(ChatDestinationRequestValidator.Create);
            }
        }, cancellationToken);
        return result.IsValid ? (body, null) : (null, JsonRequestBody.Invalid(result.Errors));
    }

    private static ILogger Logger(ILoggerFactory loggers) => loggers.CreateLogger(typeof(ChatDestinationsApi));

    private static ProblemHttpResult NotFound(string id) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        title: "Chat destination not found", detail: $"There is no chat destination '{id}'.");
}
