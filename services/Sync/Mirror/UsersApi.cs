using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Mirror;

/// <summary>A mirrored Salesforce user.</summary>
public sealed record UserResponse(string Id, string? Name, string? Email, string? ManagerId, string? TimeZone, bool? IsActive, DateTimeOffset SourceVersion);

internal static class UsersApi
{
    public static void MapUsersApi(this WebApplication app)
    {
        app.MapGroup("/api/v1/users")
            .WithTags("Users")
            .RequireAuthorization(SyncScopes.Read)
            .MapGet("/{id}", GetUserAsync)
            .WithName("GetUser")
            .WithSummary("The mirrored user (15- or 18-character id): name, email, manager, time zone.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetUserAsync(string id, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        if (!SalesforceId.TryNormalize(id, out var normalized))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid Salesforce id",
                detail: $"'{id}' is not a 15- or 18-character Salesforce id.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Id, string? Name, string? Email, string? ManagerId, string? TimeZone, bool? IsActive, DateTime SourceVersion)?>(
            new CommandDefinition(
                "SELECT id, name, email, manager_id, time_zone, is_active, source_version FROM users WHERE id = @normalized",
                new { normalized }, cancellationToken: cancellationToken));
        return row is { } user
            ? TypedResults.Ok(new UserResponse(user.Id, user.Name, user.Email, user.ManagerId, user.TimeZone, user.IsActive,
                new DateTimeOffset(DateTime.SpecifyKind(user.SourceVersion, DateTimeKind.Utc))))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "User not found", detail: $"No user {normalized} is mirrored.");
    }
}
