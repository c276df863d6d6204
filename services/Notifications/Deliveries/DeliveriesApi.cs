using Microsoft.AspNetCore.Http.HttpResults;
using PipelineCoach.Notifications.Routing;
using PipelineCoach.ServiceDefaults.Http;

namespace PipelineCoach.Notifications.Deliveries;

/// <summary>The delivery log: every decision, sent or held, with who was chosen and why; and a retry for failed ones.</summary>
internal static class DeliveriesApi
{
    private static readonly string[] Statuses = ["queued", "sent", "failed", "held", "digested"];

    public static IEndpointRouteBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        var deliveries = app.MapGroup("/api/v1/deliveries").WithTags("Deliveries");
        deliveries.MapGet("", ListAsync).RequireAuthorization(NotificationsScopes.Read).ProducesValidationProblem();
        deliveries.MapGet("/{id:guid}", GetAsync).RequireAuthorization(NotificationsScopes.Read).ProducesProblem(StatusCodes.Status404NotFound);
        deliveries.MapPost("/{id:guid}/retry", RetryAsync).RequireAuthorization(NotificationsScopes.Write)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Ok<Page<DeliveryView>>, ProblemHttpResult>> ListAsync(DeliveryStore store, CancellationToken cancellationToken,
        string? recipientId = null, string? status = null, string? signal = null, string? opportunityId = null, string? cursor = null, string? limit = null)
    {
        if (recipientId is not null && !SalesforceIds.IsValid(recipientId))
        {
            return JsonRequestBody.Invalid("recipientId", "Use an 18-character Salesforce user id.");
        }

        if (opportunityId is not null && !SalesforceIds.IsValid(opportunityId))
        {
            return JsonRequestBody.Invalid("opportunityId", "Use an 18-character Salesforce opportunity id.");
        }

        if (status is not null && !Statuses.Contains(status))
        {
            return JsonRequestBody.Invalid("status", $"Use one of: {string.Join(", ", Statuses)}.");
        }

        if (signal is not null && !Signals.IsKnown(signal) && signal != Signals.Digest)
        {
            return JsonRequestBody.Invalid("signal", $"Use one of: {string.Join(", ", Signals.All)}, {Signals.Digest}.");
        }

        var take = 50;
        if (limit is not null && (!int.TryParse(limit, out take) || take is < 1 or > 200))
        {
            return JsonRequestBody.Invalid("limit", "Use a whole number from 1 to 200.");
        }

        Guid? before = null;
        if (cursor is not null)
        {
            if (!Guid.TryParseExact(cursor, "N", out var parsed))
            {
                return JsonRequestBody.Invalid("cursor", "Not a cursor returned by this API.");
            }

            before = parsed;
        }

        var rows = await store.ListAsync(new DeliveryStore.Filter(recipientId, status, signal, opportunityId, before, take + 1), cancellationToken);
        var items = rows.Take(take).Select(r => r.ToView()).ToList();
        return TypedResults.Ok(new Page<DeliveryView>(items, rows.Count > take ? items[^1].Id.ToString("N") : null));
    }

    private static async Task<Results<Ok<DeliveryView>, ProblemHttpResult>> GetAsync(Guid id, DeliveryStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } row
            ? TypedResults.Ok(row.ToView())
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Delivery not found", detail: $"No delivery {id}.");

    private static async Task<Results<Accepted<DeliveryView>, ProblemHttpResult>> RetryAsync(Guid id, DeliveryStore store, DeliveryWake wake, CancellationToken cancellationToken)
    {
        if (await store.RetryAsync(id, cancellationToken) is { } retried)
        {
            wake.Dispatch.Notify();
            return TypedResults.Accepted($"/api/v1/deliveries/{id}", retried.ToView());
        }

        return await store.GetAsync(id, cancellationToken) is { } row
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Only a failed delivery can be retried",
                detail: $"Delivery {id} is {row.Status}.")
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Delivery not found", detail: $"No delivery {id}.");
    }
}
