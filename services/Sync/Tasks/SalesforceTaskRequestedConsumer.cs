using Dapper;
using MassTransit;
using PipelineCoach.Contracts.Notifications;
using PipelineCoach.ServiceDefaults.Data;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Tasks;

/// <summary>
/// Creates a Salesforce Task per request, once per <see cref="SalesforceTaskRequested.RequestId"/>. The request id is
/// claimed in the database before the call, so a redelivery after success does nothing; if the process dies between
/// the call and the commit, the redelivery creates the task again (at-least-once; Salesforce has no idempotency key).
/// </summary>
internal sealed class SalesforceTaskRequestedConsumer(UnitOfWorkFactory unitOfWork, ISalesforceApi api) : IConsumer<SalesforceTaskRequested>
{
    public async Task Consume(ConsumeContext<SalesforceTaskRequested> context)
    {
        var request = context.Message;
        await using var work = await unitOfWork.BeginAsync(context.CancellationToken);
        var claimed = await work.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO salesforce_tasks (request_id, status) VALUES (@RequestId, 'creating') ON CONFLICT DO NOTHING",
            request, work.Transaction, cancellationToken: context.CancellationToken));
        if (claimed == 0)
        {
            return;
        }

        var result = await api.CreateAsync("Task", new Dictionary<string, object?>
        {
            ["WhatId"] = SalesforceId.Normalize(request.WhatId),
            ["OwnerId"] = SalesforceId.Normalize(request.OwnerId),
            ["Subject"] = request.Subject,
            ["ActivityDate"] = request.ActivityDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["Description"] = request.Description,
            ["Status"] = "Not Started",
        }, context.CancellationToken);

        await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE salesforce_tasks SET task_id = @taskId, status = @status, error = @error WHERE request_id = @RequestId",
            new
            {
                request.RequestId,
                taskId = result.Id,
                status = result.Success ? "created" : "failed",
                error = result.Success ? null : string.Join("; ", result.Errors.Select(e => $"{e.StatusCode}: {e.Message}")),
            },
            work.Transaction, cancellationToken: context.CancellationToken));
        await work.CommitAsync(context.CancellationToken);
    }
}
