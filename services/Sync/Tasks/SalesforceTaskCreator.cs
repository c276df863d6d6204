using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PipelineCoach.Contracts.Notifications;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Tasks;

/// <summary>
/// Creates a Salesforce Task once per <see cref="SalesforceTaskRequested.RequestId"/> without holding a transaction
/// across the call: the request is claimed in one short statement (holder and lease), Salesforce is called, and the
/// outcome is recorded in another. A duplicate request finds the claim and calls nothing; a redelivery of the claiming
/// message takes its own claim over; an expired claim (its holder died) is taken by the next request. If a holder dies
/// after the call and before recording, the Task is created again (at-least-once; Salesforce has no idempotency key).
/// </summary>
public sealed partial class SalesforceTaskCreator(
    NpgsqlDataSource dataSource,
    ISalesforceApi api,
    IOptions<TaskOptions> options,
    TimeProvider time,
    ILogger<SalesforceTaskCreator> logger)
{
    /// <param name="claimant">Who claims the request: the message id, so a redelivery of the same message is recognised.</param>
    public async Task<TaskCreation> CreateAsync(SalesforceTaskRequested request, Guid claimant, CancellationToken cancellationToken)
    {
        if (await ClaimAsync(request.RequestId, claimant, cancellationToken) is { } done)
        {
            return done;
        }

        SaveResult result;
        try
        {
            result = await api.CreateAsync("Task", new Dictionary<string, object?>
            {
                ["WhatId"] = SalesforceId.Normalize(request.WhatId),
                ["OwnerId"] = SalesforceId.Normalize(request.OwnerId),
                ["Subject"] = request.Subject,
                ["ActivityDate"] = request.ActivityDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["Description"] = request.Description,
                ["Status"] = "Not Started",
            }, cancellationToken);
        }
        catch (Exception)
        {
            // The call failed (or we are stopping): let the retry, or any other request, take the claim at once.
            await ReleaseAsync(request.RequestId, claimant);
            throw;
        }

        var recorded = await RecordAsync(request.RequestId, claimant, result, cancellationToken);
        if (!recorded)
        {
            LogClaimLost(logger, request.RequestId, result.Id);
            return TaskCreation.ClaimLost;
        }

        return result.Success ? TaskCreation.Created : TaskCreation.Failed;
    }

    /// <summary>Claims the request; returns null when claimed, else why nothing is to be done.</summary>
    private async Task<TaskCreation?> ClaimAsync(string requestId, Guid claimant, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO salesforce_tasks (request_id, status, claimed_by, lease_until, attempts)
            VALUES (@requestId, 'creating', @claimant, @leaseUntil, 1)
            ON CONFLICT (request_id) DO UPDATE SET
                claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until, attempts = salesforce_tasks.attempts + 1
            WHERE salesforce_tasks.status = 'creating'
              AND (salesforce_tasks.claimed_by = EXCLUDED.claimed_by OR salesforce_tasks.lease_until IS NULL
                   OR salesforce_tasks.lease_until <= @now)
            """,
            new { requestId, claimant, now, leaseUntil = now + options.Value.LeaseDuration }, cancellationToken: cancellationToken));
        if (claimed == 1)
        {
            return null;
        }

        var status = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT status FROM salesforce_tasks WHERE request_id = @requestId", new { requestId }, cancellationToken: cancellationToken));
        return status == "creating" ? TaskCreation.ClaimedElsewhere : TaskCreation.AlreadyDone;
    }

    private async Task<bool> RecordAsync(string requestId, Guid claimant, SaveResult result, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE salesforce_tasks SET task_id = @taskId, status = @status, error = @error, claimed_by = NULL, lease_until = NULL
            WHERE request_id = @requestId AND claimed_by = @claimant AND status = 'creating'
            """,
            new
            {
                requestId,
                claimant,
                taskId = result.Id,
                status = result.Success ? "created" : "failed",
                error = result.Success ? null : string.Join("; ", result.Errors.Select(e => $"{e.StatusCode}: {e.Message}")),
            },
            cancellationToken: cancellationToken)) == 1;
    }

    private async Task ReleaseAsync(string requestId, Guid claimant)
    {
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            "UPDATE salesforce_tasks SET lease_until = NULL WHERE request_id = @requestId AND claimed_by = @claimant AND status = 'creating'",
            new { requestId, claimant });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task for request {RequestId} was created as {TaskId} after its claim had expired and been taken over; it may exist twice")]
    private static partial void LogClaimLost(ILogger logger, string requestId, string? taskId);
}
