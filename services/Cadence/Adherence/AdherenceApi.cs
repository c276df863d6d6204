using Microsoft.AspNetCore.Http.HttpResults;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.ServiceDefaults.Http;

namespace PipelineCoach.Cadence.Adherence;

/// <summary>Adherence (held ÷ due) per manager and per kind: a leadership metric.</summary>
internal static class AdherenceApi
{
    /// <summary>The period when none is given: the last 28 days up to now.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(28);

    public static IEndpointRouteBuilder MapAdherenceApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/adherence", GetAsync).WithTags("Adherence").RequireAuthorization(CadenceScopes.Read).ProducesValidationProblem();
        return app;
    }

    private static async Task<Results<Ok<AdherenceView>, ProblemHttpResult>> GetAsync(string? managerId, string? from, string? to,
        AdherenceQuery query, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(managerId))
        {
            return JsonRequestBody.Invalid("managerId", "Say whose adherence: the manager's user id.");
        }

        var end = clock.GetUtcNow();
        if (to is not null && !CadencesApi.TryParseInstant(to, out end))
        {
            return JsonRequestBody.Invalid("to", "Use a UTC instant such as 2026-12-01T00:00:00Z.");
        }

        var start = end - DefaultPeriod;
        if (from is not null && !CadencesApi.TryParseInstant(from, out start))
        {
            return JsonRequestBody.Invalid("from", "Use a UTC instant such as 2026-11-01T00:00:00Z.");
        }

        if (start >= end)
        {
            return JsonRequestBody.Invalid("to", "to must be after from.");
        }

        var byKind = await query.ByKindAsync(managerId, start, end, cancellationToken);
        int due = byKind.Sum(k => k.Due), held = byKind.Sum(k => k.Held);
        return TypedResults.Ok(new AdherenceView(managerId, due, held, byKind.Sum(k => k.Skipped), byKind.Sum(k => k.Missed),
            AdherenceView.Ratio(held, due), byKind));
    }
}
