using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.ServiceDefaults.Http;

namespace PipelineCoach.Cadence.Occurrences;

/// <summary>The occurrence ledger: listing, reading, and completing or skipping an occurrence.</summary>
internal static class OccurrencesApi
{
    public static IEndpointRouteBuilder MapOccurrencesApi(this IEndpointRouteBuilder app)
    {
        var occurrences = app.MapGroup("/api/v1/occurrences").WithTags("Occurrences");
        occurrences.MapGet("", ListAsync).RequireAuthorization(CadenceScopes.Read).ProducesValidationProblem();
        occurrences.MapGet("/{id}", GetAsync).RequireAuthorization(CadenceScopes.Read);
        occurrences.MapPost("/{id}/complete", CompleteAsync).RequireAuthorization(CadenceScopes.Write)
            .Accepts<CompleteRequest>("application/json").Produces<OccurrenceView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        occurrences.MapPost("/{id}/skip", SkipAsync).RequireAuthorization(CadenceScopes.Write)
            .Accepts<SkipRequest>("application/json").Produces<OccurrenceView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    private static async Task<Results<Ok<Page<OccurrenceView>>, ProblemHttpResult>> ListAsync(string? assigneeId, string? cadenceId, string? opportunityId,
        string? status, string? from, string? to, string? cursor, string? limit, OccurrenceStore store, CancellationToken cancellationToken)
    {
        Guid? cadence = null;
        if (cadenceId is not null)
        {
            if (!Guid.TryParse(cadenceId, out var parsed))
            {
                return JsonRequestBody.Invalid("cadenceId", "Not a cadence id.");
            }

            cadence = parsed;
        }

        if (status is not null && !OccurrenceStatuses.All.Contains(status))
        {
            return JsonRequestBody.Invalid("status", $"Use one of {string.Join(", ", OccurrenceStatuses.All)}.");
        }

        DateTimeOffset? start = null, end = null;
        if (from is not null)
        {
            if (!CadencesApi.TryParseInstant(from, out var parsed))
            {
                return JsonRequestBody.Invalid("from", "Use a UTC instant such as 2026-12-01T00:00:00Z.");
            }

            start = parsed;
        }

        if (to is not null)
        {
            if (!CadencesApi.TryParseInstant(to, out var parsed))
            {
                return JsonRequestBody.Invalid("to", "Use a UTC instant such as 2026-12-08T00:00:00Z.");
            }

            end = parsed;
        }

        if (start >= end)
        {
            return JsonRequestBody.Invalid("to", "to must be after from.");
        }

        OccurrenceCursor? after = null;
        if (cursor is not null && !OccurrenceCursor.TryParse(cursor, out after))
        {
            return JsonRequestBody.Invalid("cursor", "Not a cursor returned by this API.");
        }

        if (!CadencesApi.TryParseLimit(limit, out var take))
        {
            return JsonRequestBody.Invalid("limit", "Use a whole number from 1 to 200.");
        }

        var rows = await store.ListAsync(new OccurrenceFilter(assigneeId, cadence, opportunityId, status, start, end, after, take + 1), cancellationToken);
        var items = rows.Take(take).Select(row => row.ToView()).ToList();
        var next = rows.Count > take ? new OccurrenceCursor(items[^1].ScheduledAt, items[^1].Id).ToString() : null;
        return TypedResults.Ok(new Page<OccurrenceView>(items, next));
    }

    private static async Task<Results<Ok<OccurrenceView>, NotFound>> GetAsync(string id, OccurrenceStore store, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var guid) && await store.GetAsync(guid, cancellationToken) is { } row ? TypedResults.Ok(row.ToView()) : TypedResults.NotFound();

    private static async Task<Results<Ok<OccurrenceView>, NotFound, ProblemHttpResult>> CompleteAsync(string id, HttpRequest request, ClaimsPrincipal user,
        IValidator<CompleteRequest> validator, OccurrenceStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return TypedResults.NotFound();
        }

        // The notes are optional, so is the body.
        var (body, refusal) = await JsonRequestBody.ReadAsync<CompleteRequest>(request, cancellationToken, allowEmpty: true);
        if (refusal is not null)
        {
            return refusal;
        }

        body ??= new CompleteRequest(null);
        var result = await validator.ValidateAsync(body, cancellationToken);
        if (!result.IsValid)
        {
            return JsonRequestBody.Invalid(result.Errors);
        }

        return await ActAsync(guid, OccurrenceAct.Complete, string.IsNullOrWhiteSpace(body.Notes) ? null : body.Notes, user, store, clock, cancellationToken);
    }

    private static async Task<Results<Ok<OccurrenceView>, NotFound, ProblemHttpResult>> SkipAsync(string id, HttpRequest request, ClaimsPrincipal user,
        IValidator<SkipRequest> validator, OccurrenceStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return TypedResults.NotFound();
        }

        var (body, refusal) = await JsonRequestBody.ReadAsync<SkipRequest>(request, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var result = await validator.ValidateAsync(body!, cancellationToken);
        if (!result.IsValid)
        {
            return JsonRequestBody.Invalid(result.Errors);
        }

        return await ActAsync(guid, OccurrenceAct.Skip, body!.Reason!.Trim(), user, store, clock, cancellationToken);
    }

    private static async Task<Results<Ok<OccurrenceView>, NotFound, ProblemHttpResult>> ActAsync(Guid id, OccurrenceAct act, string? text,
        ClaimsPrincipal user, OccurrenceStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await store.ActAsync(id, act, text, CadencesApi.Actor(user), clock.GetUtcNow(), cancellationToken) is not { } outcome)
        {
            return TypedResults.NotFound();
        }

        return outcome.Decision == OccurrenceActDecision.Conflict
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"Cannot {act.Name} a {outcome.Row.Status} occurrence",
                detail: $"Only a scheduled or due occurrence can be {(act == OccurrenceAct.Complete ? "completed" : "skipped")}; this one is {outcome.Row.Status}.")
            : TypedResults.Ok(outcome.Row.ToView());
    }
}
