using Microsoft.AspNetCore.Http.HttpResults;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Mirror;

internal static class OpportunitiesApi
{
    public static void MapOpportunitiesApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/v1/opportunities")
            .WithTags("Opportunities")
            .RequireAuthorization(SyncScopes.Read);

        group.MapGet("/{id}", GetOpportunity)
            .WithName("GetOpportunity")
            .WithSummary("The mirrored opportunity (15- or 18-character id).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<OpportunitySnapshot>, ProblemHttpResult>> GetOpportunity(
        string id, OpportunityStore store, CancellationToken cancellationToken)
    {
        if (!SalesforceId.TryNormalize(id, out var normalized))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid Salesforce id",
                detail: $"'{id}' is not a 15- or 18-character Salesforce id.");
        }

        var record = await store.FindAsync(normalized, cancellationToken);
        return record is null || record.IsDeleted
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Opportunity not found",
                detail: $"No opportunity {normalized} is mirrored.")
            : TypedResults.Ok(record.ToSnapshot());
    }
}
