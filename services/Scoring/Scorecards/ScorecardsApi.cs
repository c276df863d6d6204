using PipelineCoach.ServiceDefaults.Http;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scores;

namespace PipelineCoach.Scoring.Scorecards;

internal static class ScorecardsApi
{
    public static RouteGroupBuilder MapScorecardsApi(this IEndpointRouteBuilder app)
    {
        // Reading needs scoring.read; changing scorecards needs scoring.admin alone.
        var group = app.MapGroup("/api/v1/scorecards").WithTags("Scorecards");
        group.MapPost("", CreateAsync).RequireAuthorization(ScoringScopes.Admin).Accepts<Scorecard>("application/json");
        group.MapGet("", ListAsync).RequireAuthorization(ScoringScopes.Read);
        group.MapGet("/{id}", GetAsync).RequireAuthorization(ScoringScopes.Read);
        group.MapGet("/{id}/versions", VersionsAsync).RequireAuthorization(ScoringScopes.Read);
        group.MapGet("/{id}/versions/{version:int}", GetVersionAsync).RequireAuthorization(ScoringScopes.Read);
        group.MapPost("/{id}/versions/{version:int}/activate", ActivateAsync).RequireAuthorization(ScoringScopes.Admin);
        group.MapPost("/{id}/deactivate", DeactivateAsync).RequireAuthorization(ScoringScopes.Admin);
        group.MapPost("/{id}/preview", PreviewAsync).RequireAuthorization(ScoringScopes.Read);
        app.MapGet("/api/v1/rescoring-jobs/{jobId:guid}", JobAsync).WithTags("Scorecards").RequireAuthorization(ScoringScopes.Read);
        return group;
    }

    internal static string? Actor(ClaimsPrincipal user) => user.FindFirst("sub")?.Value;

    // The body is read as text so that JSON mistakes are reported with their path, like every validation error.
    private static async Task<Results<Created<ScorecardView>, ValidationProblem, Conflict<ProblemDetailsBody>>> CreateAsync(
        HttpRequest request, ClaimsPrincipal user, ScorecardStore store, IValidator<Scorecard> validator, CancellationToken cancellationToken)
    {
        using var body = new StreamReader(request.Body);
        var json = await body.ReadToEndAsync(cancellationToken);
        Scorecard scorecard;
        try
        {
            scorecard = ScorecardJson.Deserialize(json);
        }
        catch (ValidationException ex)
        {
            return TypedResults.ValidationProblem(ToDictionary(ex.Errors));
        }

        var result = await validator.ValidateAsync(scorecard, cancellationToken);
        if (!result.IsValid)
        {
            return TypedResults.ValidationProblem(ToDictionary(result.Errors));
        }

        if (!await store.InsertAsync(scorecard, Actor(user), cancellationToken))
        {
            return TypedResults.Conflict(new ProblemDetailsBody("Version exists",
                $"Scorecard '{scorecard.Id}' v{scorecard.Version} already exists; versions are immutable, post the next version instead.", 409));
        }

        return TypedResults.Created($"/api/v1/scorecards/{scorecard.Id}/versions/{scorecard.Version}",
            new ScorecardView(scorecard.Id, scorecard.Version, false, await store.ActiveVersionAsync(scorecard.Id, cancellationToken), scorecard));
    }

    private static Dictionary<string, string[]> ToDictionary(IEnumerable<FluentValidation.Results.ValidationFailure> errors) =>
        errors.GroupBy(error => error.PropertyName).ToDictionary(group => group.Key, group => group.Select(error => error.ErrorMessage).ToArray());

    private static async Task<Ok<Page<ScorecardSummaryView>>> ListAsync(string? cursor, int? limit, ScorecardStore store, CancellationToken cancellationToken)
    {
        var take = Math.Clamp(limit ?? 50, 1, 200);
        var rows = await store.ListAsync(cursor, take + 1, cancellationToken);
        var items = rows.Take(take).Select(r => new ScorecardSummaryView(r.Id, r.Name, r.LatestVersion, r.ActiveVersion, r.Versions)).ToList();
        return TypedResults.Ok(new Page<ScorecardSummaryView>(items, rows.Count > take ? items[^1].Id : null));
    }

    private static async Task<Results<Ok<ScorecardView>, NotFound>> GetAsync(string id, ScorecardStore store, CancellationToken cancellationToken) =>
        await ViewAsync(store, id, null, cancellationToken) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<Results<Ok<ScorecardView>, NotFound>> GetVersionAsync(string id, int version, ScorecardStore store, CancellationToken cancellationToken) =>
        await ViewAsync(store, id, version, cancellationToken) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<ScorecardView?> ViewAsync(ScorecardStore store, string id, int? version, CancellationToken cancellationToken)
    {
        var scorecard = await store.GetAsync(id, version, cancellationToken);
        if (scorecard is null)
        {
            return null;
        }

        var active = await store.ActiveVersionAsync(id, cancellationToken);
        return new ScorecardView(scorecard.Id, scorecard.Version, active == scorecard.Version, active, scorecard);
    }

    private static async Task<Results<Ok<IReadOnlyList<ScorecardVersionView>>, NotFound>> VersionsAsync(string id, ScorecardStore store, CancellationToken cancellationToken)
    {
        var rows = await store.VersionsAsync(id, cancellationToken);
        return rows.Count == 0
            ? TypedResults.NotFound()
            : TypedResults.Ok<IReadOnlyList<ScorecardVersionView>>([.. rows.Select(r => new ScorecardVersionView(r.Id, r.Version, r.Name, r.IsActive, ScoresApi.Utc(r.CreatedAt), r.CreatedBy))]);
    }

    /// <summary>Makes a version the active one and queues the rescoring of every open opportunity with it.</summary>
    private static async Task<Results<Accepted<RescoringJobView>, NotFound>> ActivateAsync(string id, int version, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, RescoringSignal signal, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM scorecards WHERE id = @id AND version = @version)", new { id, version }, transaction, cancellationToken: cancellationToken));
        if (!exists)
        {
            return TypedResults.NotFound();
        }

        await ScorecardStore.ActivateAsync(connection, transaction, id, version, Actor(user), cancellationToken);
        var jobId = await RescoringJobs.QueueAsync(connection, transaction, id, version, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        var job = (await RescoringJobs.GetAsync(dataSource, jobId, cancellationToken))!;
        return TypedResults.Accepted($"/api/v1/rescoring-jobs/{jobId}", ToView(job));
    }

    private static async Task<Results<NoContent, NotFound>> DeactivateAsync(string id, ScorecardStore store, CancellationToken cancellationToken) =>
        await store.DeactivateAsync(id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<Ok<RescoringJobView>, NotFound>> JobAsync(Guid jobId, NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        await RescoringJobs.GetAsync(dataSource, jobId, cancellationToken) is { } job ? TypedResults.Ok(ToView(job)) : TypedResults.NotFound();

    private static RescoringJobView ToView(RescoringJob job) => new(job.Id, job.ScorecardId, job.ScorecardVersion, job.Status, job.Total,
        job.Processed, job.Changed, job.Error, ScoresApi.Utc(job.CreatedAt),
        job.StartedAt is { } started ? ScoresApi.Utc(started) : null, job.FinishedAt is { } finished ? ScoresApi.Utc(finished) : null);

    private static async Task<Results<Ok<ScoreSnapshot>, NotFound, ValidationProblem>> PreviewAsync(string id, PreviewRequest request,
        ScorecardStore store, ScorecardCatalog catalog, OpportunityScorer scorer, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var version = request.Version ?? await store.ActiveVersionAsync(id, cancellationToken) ?? (await store.GetAsync(id, null, cancellationToken))?.Version;
        var scorecard = version is null ? null : await catalog.GetAsync(id, version.Value, cancellationToken);
        if (scorecard is null)
        {
            return TypedResults.NotFound();
        }

        if ((request.Opportunity is null) == (request.OpportunityId is null))
        {
            return Invalid("opportunity", "Post either an opportunity or the opportunityId of an existing one (with overrides).");
        }

        OpportunityChanged message;
        if (request.OpportunityId is { } opportunityId)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var json = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT snapshot::text FROM opportunities WHERE id = @opportunityId::bpchar AND NOT is_deleted", new { opportunityId }, cancellationToken: cancellationToken));
            if (json is null)
            {
                return TypedResults.NotFound();
            }

            message = JsonSerializer.Deserialize(json, ScoringJson.Default.OpportunityChanged)!;
        }
        else
        {
            var opportunity = request.Opportunity!;
            message = new OpportunityChanged
            {
                OpportunityId = opportunity.Id,
                OrganizationId = "",
                SourceVersion = opportunity.SystemModstamp ?? DateTimeOffset.UnixEpoch,
                OccurredAt = opportunity.SystemModstamp ?? DateTimeOffset.UnixEpoch,
                Source = "preview",
                ChangeType = "SNAPSHOT",
                ChangedFields = [],
                Opportunity = opportunity,
            };
        }

        message = message with
        {
            ContactRoles = request.ContactRoles ?? message.ContactRoles,
            History = request.History ?? message.History,
        };
        if (request.Overrides is { Count: > 0 } overrides)
        {
            var (applied, errors) = ApplyOverrides(message.Opportunity, overrides);
            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors);
            }

            message = message with { Opportunity = applied! };
        }

        return TypedResults.Ok(scorecard.Evaluate(message, request.AsOf ?? scorer.Today()));
    }

    private static ValidationProblem Invalid(string field, string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [error] });

    private static readonly Dictionary<string, string> StandardFields = typeof(OpportunitySnapshot).GetProperties()
        .Where(p => p.Name is not (nameof(OpportunitySnapshot.Id) or nameof(OpportunitySnapshot.CustomFields)))
        .ToDictionary(p => p.Name, p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), StringComparer.OrdinalIgnoreCase);

    /// <summary>Sets standard fields through their JSON form (so each is parsed as its own type) and custom fields as text.</summary>
    internal static (OpportunitySnapshot? Opportunity, Dictionary<string, string[]> Errors) ApplyOverrides(
        OpportunitySnapshot opportunity, Dictionary<string, JsonElement> overrides)
    {
        var errors = new Dictionary<string, string[]>();
        var node = JsonSerializer.SerializeToNode(opportunity, ScoringJson.Default.OpportunitySnapshot)!.AsObject();
        var custom = new Dictionary<string, string?>(opportunity.CustomFields);
        foreach (var (field, value) in overrides)
        {
            if (field.EndsWith("__c", StringComparison.Ordinal))
            {
                custom[field] = value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => value.GetString(),
                    _ => value.GetRawText(),
                };
            }
            else if (StandardFields.TryGetValue(field, out var jsonName))
            {
                node[jsonName] = JsonNode.Parse(value.GetRawText());
            }
            else
            {
                errors[$"overrides.{field}"] = [$"'{field}' is not an opportunity field; custom fields end in __c."];
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        node.Remove("customFields");
        try
        {
            var updated = node.Deserialize(ScoringJson.Default.OpportunitySnapshot)!;
            return (updated with { CustomFields = custom }, errors);
        }
        catch (JsonException ex)
        {
            errors[$"overrides{ex.Path?.TrimStart('$')}"] = [$"Invalid value: {ex.Message}"];
            return (null, errors);
        }
    }
}
