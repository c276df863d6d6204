using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Reconciliation;

/// <summary><c>POST /api/v1/sync/reconcile</c>: asks for a reconciliation now (its outcome shows in the sync status).</summary>
internal static class ReconcileApi
{
    public static void MapReconcileApi(this WebApplication app)
    {
        app.MapGroup("/api/v1/sync").WithTags("Sync")
            .MapPost("/reconcile", RequestReconcile)
            .RequireAuthorization(SyncScopes.Admin)
            .WithSummary("Runs a reconciliation now (it also runs every Sync:Reconcile:Interval).");
    }

    private static Results<Accepted, ProblemHttpResult> RequestReconcile(ReconcileTrigger trigger, IOptions<SalesforceApiOptions> api)
    {
        if (!api.Value.IsEnabled)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Salesforce API not configured",
                detail: "Set Salesforce:Api:LoginUrl and credentials to enable reconciliation.");
        }

        trigger.Request();
        return TypedResults.Accepted("/api/v1/sync/status");
    }
}
