using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace PipelineCoach.Sync.Salesforce;

/// <summary>
/// The Salesforce REST API calls Sync makes. Paths are relative to the token's <c>instance_url</c>, which
/// <see cref="SalesforceAuthHandler"/> supplies; the API version is pinned here.
/// </summary>
public interface ISalesforceApi
{
    public const string Version = "62.0";

    [Get("/services/data/v62.0/query")]
    Task<QueryPage> QueryAsync([AliasAs("q")] string soql, CancellationToken cancellationToken);

    [Get("/services/data/v62.0/queryAll")]
    Task<QueryPage> QueryAllAsync([AliasAs("q")] string soql, CancellationToken cancellationToken);

    /// <summary>Follows a page's <c>nextRecordsUrl</c> (already an absolute path).</summary>
    [Get("/{**nextRecordsUrl}")]
    Task<QueryPage> NextPageAsync(string nextRecordsUrl, CancellationToken cancellationToken);

    [Get("/services/data/v62.0/sobjects/{type}/deleted/")]
    Task<DeletedRecords> GetDeletedAsync(string type, string start, string end, CancellationToken cancellationToken);

    [Get("/services/data/v62.0/sobjects/{type}/updated/")]
    Task<UpdatedRecords> GetUpdatedAsync(string type, string start, string end, CancellationToken cancellationToken);

    [Patch("/services/data/v62.0/composite/sobjects")]
    Task<List<SaveResult>> UpdateCollectionAsync([Body] CollectionRequest request, CancellationToken cancellationToken);

    [Post("/services/data/v62.0/sobjects/{type}")]
    Task<SaveResult> CreateAsync(string type, [Body] Dictionary<string, object?> fields, CancellationToken cancellationToken);

    [Get("/services/data/v62.0/limits")]
    Task<JsonElement> LimitsAsync(CancellationToken cancellationToken);

    [Post("/services/data/v62.0/jobs/query")]
    Task<BulkJob> CreateQueryJobAsync([Body] BulkJobRequest request, CancellationToken cancellationToken);

    [Get("/services/data/v62.0/jobs/query/{id}")]
    Task<BulkJob> GetQueryJobAsync(string id, CancellationToken cancellationToken);

    /// <summary>One CSV chunk; read <c>Sforce-Locator</c> (the literal <c>null</c> at the end) from the headers.</summary>
    [Get("/services/data/v62.0/jobs/query/{id}/results")]
    Task<HttpResponseMessage> GetQueryJobResultsAsync(string id, string? locator, int? maxRecords, CancellationToken cancellationToken);
}

public sealed record QueryPage(
    [property: JsonPropertyName("totalSize")] int TotalSize,
    [property: JsonPropertyName("done")] bool Done,
    [property: JsonPropertyName("nextRecordsUrl")] string? NextRecordsUrl,
    [property: JsonPropertyName("records")] List<JsonElement> Records);

public sealed record DeletedRecord([property: JsonPropertyName("id")] string Id, [property: JsonPropertyName("deletedDate")] string DeletedDate);

public sealed record DeletedRecords(
    [property: JsonPropertyName("deletedRecords")] List<DeletedRecord> Records,
    [property: JsonPropertyName("earliestDateAvailable")] string? EarliestDateAvailable,
    [property: JsonPropertyName("latestDateCovered")] string? LatestDateCovered);

public sealed record UpdatedRecords(
    [property: JsonPropertyName("ids")] List<string> Ids,
    [property: JsonPropertyName("latestDateCovered")] string? LatestDateCovered);

public sealed record SalesforceError(
    [property: JsonPropertyName("statusCode")] string? StatusCode,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("fields")] List<string>? Fields);

public sealed record SaveResult(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("errors")] List<SalesforceError> Errors);

public sealed record CollectionRequest(
    [property: JsonPropertyName("allOrNone")] bool AllOrNone,
    [property: JsonPropertyName("records")] List<Dictionary<string, object?>> Records);

public sealed record BulkJobRequest(
    [property: JsonPropertyName("operation")] string Operation,
    [property: JsonPropertyName("query")] string Query);

public sealed record BulkJob(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("numberRecordsProcessed")] long? NumberRecordsProcessed,
    [property: JsonPropertyName("errorMessage")] string? ErrorMessage);
