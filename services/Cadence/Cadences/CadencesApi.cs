using System.Globalization;
using System.Security.Claims;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http.HttpResults;
using PipelineCoach.Cadence.Ledger;
using PipelineCoach.Cadence.Schedules;
using PipelineCoach.ServiceDefaults.Http;

namespace PipelineCoach.Cadence.Cadences;

/// <summary>Templates, cadence definitions and their preview. Bodies are read bounded (<see cref="JsonRequestBody"/>).</summary>
internal static class CadencesApi
{
    public const int MaxPreviewCount = 100;

    public static IEndpointRouteBuilder MapCadencesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/cadence-templates", Templates).WithTags("Cadences").RequireAuthorization(CadenceScopes.Read);

        var cadences = app.MapGroup("/api/v1/cadences").WithTags("Cadences");
        cadences.MapPost("", CreateAsync).RequireAuthorization(CadenceScopes.Write)
            .Accepts<CadenceDefinition>("application/json").Produces<CadenceView>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        cadences.MapGet("", ListAsync).RequireAuthorization(CadenceScopes.Read).ProducesValidationProblem();
        cadences.MapGet("/{id}", GetAsync).RequireAuthorization(CadenceScopes.Read);
        cadences.MapPut("/{id}", UpdateAsync).RequireAuthorization(CadenceScopes.Write)
            .Accepts<CadenceDefinition>("application/json").Produces<CadenceView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        cadences.MapDelete("/{id}", DeleteAsync).RequireAuthorization(CadenceScopes.Write);
        cadences.MapGet("/{id}/preview", PreviewAsync).RequireAuthorization(CadenceScopes.Read)
            .Produces<CadencePreview>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static Ok<Page<CadenceTemplate>> Templates(CadenceTemplates templates) => TypedResults.Ok(new Page<CadenceTemplate>(templates.All, null));

    private static async Task<Results<Created<CadenceView>, ProblemHttpResult>> CreateAsync(HttpRequest request, ClaimsPrincipal user,
        CadenceResolver resolver, CadenceStore store, LedgerSignal signal, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (definition, refusal) = await resolver.ReadAsync(request, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var id = Guid.CreateVersion7(clock.GetUtcNow());
        await store.InsertAsync(id, definition!, Actor(user), clock.GetUtcNow(), cancellationToken);
        signal.CadenceChanged();
        var row = await store.GetAsync(id, cancellationToken);
        return TypedResults.Created($"/api/v1/cadences/{id}", row!.ToView());
    }

    private static async Task<Results<Ok<Page<CadenceView>>, ProblemHttpResult>> ListAsync(string? cursor, string? limit, CadenceStore store, CancellationToken cancellationToken)
    {
        if (!TryParseLimit(limit, out var take))
        {
            return JsonRequestBody.Invalid("limit", "Use a whole number from 1 to 200.");
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

        var rows = await store.ListAsync(after, take + 1, cancellationToken);
        var items = rows.Take(take).Select(row => row.ToView()).ToList();
        return TypedResults.Ok(new Page<CadenceView>(items, rows.Count > take ? items[^1].Id.ToString("N") : null));
    }

    private static async Task<Results<Ok<CadenceView>, NotFound>> GetAsync(string id, CadenceStore store, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var guid) && await store.GetAsync(guid, cancellationToken) is { } row ? TypedResults.Ok(row.ToView()) : TypedResults.NotFound();

    private static async Task<Results<Ok<CadenceView>, NotFound, ProblemHttpResult>> UpdateAsync(string id, HttpRequest request, ClaimsPrincipal user,
        CadenceResolver resolver, CadenceStore store, LedgerSignal signal, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return TypedResults.NotFound();
        }

        var (definition, refusal) = await resolver.ReadAsync(request, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!await store.UpdateAsync(guid, definition!, Actor(user), clock.GetUtcNow(), cancellationToken))
        {
            return TypedResults.NotFound();
        }

        signal.CadenceChanged();
        return TypedResults.Ok((await store.GetAsync(guid, cancellationToken))!.ToView());
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(string id, ClaimsPrincipal user, CadenceStore store, TimeProvider clock, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var guid) && await store.DeleteAsync(guid, Actor(user), clock.GetUtcNow(), cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();

    private static async Task<Results<Ok<CadencePreview>, NotFound, ProblemHttpResult>> PreviewAsync(string id, string? count, string? from,
        CadenceStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var take = 10;
        if (count is not null && (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxPreviewCount))
        {
            return JsonRequestBody.Invalid("count", $"Use a whole number from 1 to {MaxPreviewCount}.");
        }

        var start = clock.GetUtcNow();
        if (from is not null && !TryParseInstant(from, out start))
        {
            return JsonRequestBody.Invalid("from", "Use a UTC instant such as 2027-03-01T00:00:00Z.");
        }

        if (!Guid.TryParse(id, out var guid) || await store.GetAsync(guid, cancellationToken) is not { } row)
        {
            return TypedResults.NotFound();
        }

        var definition = CadenceJson.DeserializeDefinition(row.Definition);
        if (definition.Schedule is not { Cron: { } cron, TimeZone: { } zone })
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not a recurring cadence",
                detail: "An event-driven cadence has no schedule: its occurrences are created by opportunity changes.");
        }

        if (zone == ScheduleSpec.AssigneeTimeZone)
        {
            var assignee = definition.Target?.AssigneeId;
            var assigneeZone = assignee is null ? null : await store.TimeZoneOfAsync(assignee, cancellationToken);
            if (assigneeZone is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Time zone not known yet",
                    detail: $"The cadence runs in the assignee's time zone, and the assignee's time zone is not known yet: user '{assignee}' has not arrived from Salesforce with one.");
            }

            zone = assigneeZone;
        }

        var schedule = RecurringSchedule.TryCreate(cron, zone, definition.StartsOn, definition.EndsOn, definition.Exclusions ?? [], out _, out var zoneError);
        if (schedule is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Time zone not usable", detail: zoneError);
        }

        return TypedResults.Ok(new CadencePreview([.. schedule.Next(start, take).Select(PreviewOccurrence.From)]));
    }

    internal static string? Actor(ClaimsPrincipal user) => user.FindFirst("sub")?.Value;

    /// <summary>A list's <c>limit</c>: absent is 50; otherwise a whole number from 1 to 200.</summary>
    internal static bool TryParseLimit(string? limit, out int take)
    {
        take = 50;
        return limit is null || (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) && take is >= 1 and <= 200);
    }

    /// <summary>An ISO 8601 instant; one without an offset is read as UTC.</summary>
    internal static bool TryParseInstant(string text, out DateTimeOffset instant) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
}
