using Microsoft.AspNetCore.Http.HttpResults;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.ServiceDefaults.Http;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Mirror;

internal static class OpportunitiesApi
{
    public static void MapOpportunitiesApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/v1/opportunities")
            .WithTags("Opportunities")
            .RequireAuthorization(SyncScopes.Read);

        group.MapGet("/", ListOpportunities)
            .WithName("ListOpportunities")
            .WithSummary("Mirrored opportunities, oldest change first, filtered by owner, stage and modification time; cursor-paginated.")
            .Validate<OpportunityQuery>();

        group.MapGet("/{id}", GetOpportunity)
            .WithName("GetOpportunity")
            .WithSummary("The mirrored opportunity (15- or 18-character id).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Ok<OpportunityPage>> ListOpportunities([AsParameters] OpportunityQuery query, OpportunityStore store, CancellationToken cancellationToken)
    {
        OpportunityCursor.TryDecode(query.Cursor, out var afterVersion, out var afterId);
        var owner = query.OwnerId is null ? null : SalesforceId.Normalize(query.OwnerId);
        var page = await store.ListAsync(owner, query.Stage, query.ModifiedSince, query.Cursor is null ? null : (afterVersion, afterId),
            query.PageSize + 1, cancellationToken);
        var items = page.Take(query.PageSize).ToList();
        var next = page.Count > query.PageSize ? OpportunityCursor.Encode(items[^1].SourceVersion, items[^1].Id) : null;
        return TypedResults.Ok(new OpportunityPage([.. items.Select(r => r.ToSnapshot())], next));
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

/// <summary>One page of opportunities; pass <see cref="NextCursor"/> as <c>cursor</c> for the next (null at the end).</summary>
public sealed record OpportunityPage(IReadOnlyList<OpportunitySnapshot> Items, string? NextCursor);
