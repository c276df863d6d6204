using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>One page of parked rows; pass <see cref="NextCursor"/> as <c>cursor</c> for the next (null at the end).</summary>
public sealed record ParkedOutboxPage(IReadOnlyList<ParkedOutboxRow> Items, string? NextCursor);

/// <summary>How many rows a requeue put back into dispatch.</summary>
public sealed record OutboxRequeueResult(int Requeued);

/// <summary>
/// Operator endpoints every service has, under its admin scope: list parked outbox rows and requeue them.
/// </summary>
public static class OutboxAdminApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapOutboxAdminApi(this IEndpointRouteBuilder app, ServiceInfo service)
    {
        var group = app.MapGroup("/api/v1/admin/outbox").WithTags("Operations").RequireAuthorization(service.AdminScope);
        group.MapGet("/parked", ListAsync);
        group.MapPost("/parked/{id:long}/requeue", RequeueAsync);
        group.MapPost("/parked/requeue", RequeueAllAsync);
        return app;
    }

    private static async Task<Results<Ok<ParkedOutboxPage>, ValidationProblem>> ListAsync(
        ParkedOutbox parked, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        long afterId = 0;
        if (cursor is not null && (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out afterId) || afterId < 0))
        {
            errors["cursor"] = ["cursor must be the nextCursor of a previous page."];
        }

        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxLimit}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var items = await parked.ListAsync(afterId, take, cancellationToken);
        var next = items.Count == take ? items[^1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new ParkedOutboxPage(items, next));
    }

    private static async Task<Results<Ok<OutboxRequeueResult>, ProblemHttpResult>> RequeueAsync(
        ParkedOutbox parked, long id, CancellationToken cancellationToken) =>
        await parked.RequeueAsync(id, cancellationToken)
            ? TypedResults.Ok(new OutboxRequeueResult(1))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No parked outbox row", detail: $"No parked outbox row has id {id}.");

    private static async Task<Ok<OutboxRequeueResult>> RequeueAllAsync(ParkedOutbox parked, CancellationToken cancellationToken) =>
        TypedResults.Ok(new OutboxRequeueResult(await parked.RequeueAllAsync(cancellationToken)));
}
